// The trainer's AdamW is lazy in the word embeddings' rows: the run must be the dense
// one, bit for bit. The dense reference is the same run with a checkpoint after every
// step, which flushes every row each step; a lazy row that a forward pass, an evaluation,
// a saved model or the end of the run saw stale would show up as a difference.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "train/trainer.h"
#include "support/keyword_task.h"

namespace bertcls::train {
namespace {

using test::fast_options;
using test::KeywordTask;

struct Outcome {
  FitResult fit;
  std::vector<float> params;
  std::vector<std::vector<float>> best;  // the model each on_best saw
};

model::BertConfig tiny(model::Family family = model::Family::bert) {
  model::BertConfig c = test::tiny_bert_config({.vocab_size = 300, .num_labels = 2});
  c.family = family;
  if (family == model::Family::electra) c.embedding_size = 8;  // rows narrower than the hidden size
  return c;
}

Outcome run(const TrainerOptions& o, bool flush_every_step, bool with_valid = true, bool poison = false,
            const model::BertConfig& config = tiny()) {
  const KeywordTask train(40, 1), valid(16, 2);
  const EncodedDataset valid_data = valid.data();
  // Tokens stay below 40: rows 40..299 are never touched, most of 10..39 not every step.
  model::BertClassifier model(config, 7);
  if (poison) model.parameters().back() = std::numeric_limits<float>::quiet_NaN();  // a classifier bias
  Outcome out;
  TrainerCallbacks cb;
  cb.on_best = [&](const model::BertClassifier& m) { out.best.emplace_back(m.parameters().begin(), m.parameters().end()); };
  TrainerOptions options = o;
  if (flush_every_step) {
    options.save_steps = 1;
    cb.on_checkpoint = [](const TrainerSnapshot& s) { EXPECT_TRUE(s.optimizer.flushed()); };
  }
  out.fit = fit(model, io::Task::SingleLabel, 2, train.data(), with_valid ? &valid_data : nullptr, options, cb);
  out.params.assign(model.parameters().begin(), model.parameters().end());
  return out;
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

TEST(TrainLazyRows, TheRunIsTheDenseRunBitForBit) {
  for (const auto& [grad_accum, family] : {std::pair{std::int64_t{1}, model::Family::bert},
                                           std::pair{std::int64_t{2}, model::Family::bert},
                                           std::pair{std::int64_t{1}, model::Family::electra}}) {
    SCOPED_TRACE("grad_accum " + std::to_string(grad_accum) + (family == model::Family::electra ? ", ELECTRA" : ""));
    TrainerOptions o = fast_options();
    o.epochs = 3;
    o.grad_accum = grad_accum;
    o.adamw.weight_decay = 0.01;
    o.max_grad_norm = 0.5f;  // clipping bites
    const Outcome dense = run(o, true, true, false, tiny(family)), lazy = run(o, false, true, false, tiny(family));
    ASSERT_EQ(dense.fit.epochs.size(), lazy.fit.epochs.size());
    for (std::size_t e = 0; e < dense.fit.epochs.size(); ++e) {
      EXPECT_EQ(dense.fit.epochs[e].train_loss, lazy.fit.epochs[e].train_loss) << "epoch " << e + 1;
      EXPECT_EQ(dense.fit.epochs[e].valid->loss, lazy.fit.epochs[e].valid->loss) << "epoch " << e + 1;
    }
    ASSERT_EQ(dense.best.size(), lazy.best.size());
    for (std::size_t i = 0; i < dense.best.size(); ++i) EXPECT_TRUE(same_bits(dense.best[i], lazy.best[i])) << i;
    EXPECT_TRUE(same_bits(dense.params, lazy.params));
  }
}

// A NaN loss makes the gradient norm NaN, and clipping by it turns every gradient NaN,
// the untouched rows' zeros too: dense AdamW then writes NaN into every row, and so must
// the lazy one.
TEST(TrainLazyRows, ANaNGradientNormReachesEveryRowAsInDenseAdamW) {
  TrainerOptions o = fast_options();
  o.max_steps = 3;
  const Outcome dense = run(o, true, false, true), lazy = run(o, false, false, true);
  EXPECT_TRUE(std::isnan(lazy.params[299 * 16]));  // the last word embedding row, never used
  EXPECT_TRUE(same_bits(dense.params, lazy.params));
}

}  // namespace
}  // namespace bertcls::train
