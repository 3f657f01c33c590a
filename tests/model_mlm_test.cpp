// BertForMaskedLM's head (model/masked_lm_head.h) against the PyTorch reference
// (tools/make_mlm_fixtures.py): logits at the masked tokens within 1e-4, the loss within
// 1e-4, every parameter's gradient (the tied decoder's included, through the word
// embeddings) within 1e-3 of the tensor's largest; on a micro model and on rubert-tiny2's
// architecture; plus finite differences of a few of the head's gradient entries and
// eight AdamW steps against PyTorch's.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include <bertcls/error.h>
#include "support/bert_fixture.h"
#include "support/trajectory.h"

namespace bertcls::model {
namespace {

using test::ParityCase;

BertClassifier mlm_model(const std::string& name) {
  hf::ModelConfig config = hf::read_model_config(test::bert_fixtures() / name / "config.json");
  config.bert.head = Head::masked_lm;
  BertClassifier model(config.bert);
  test::fill_generated_weights(model);
  return model;
}

// The case's padded batch packed, with its labels packed the same way.
Batch mlm_batch(const ParityCase& ref) {
  Batch batch = ref.batch();
  const auto& shape = ref.at("input_ids").shape;
  batch.mlm_labels = Batch::from_padded(ref.ints("mlm_labels"), {}, ref.ints("attention_mask"), (int)shape[0],
                                        (int)shape[1]).ids;
  return batch;
}

struct CaseSpec {
  const char* name;
  const char* model;
};
class MaskedLmParity : public ::testing::TestWithParam<CaseSpec> {};

TEST_P(MaskedLmParity, MaskedLogitsLossAndEveryGradientMatchTheReference) {
  const ParityCase ref(GetParam().name);
  BertClassifier model = mlm_model(GetParam().model);
  const Batch batch = mlm_batch(ref);

  const auto logits = model.forward(batch, {.backward = true});
  const auto& want = ref.at("masked_logits").data;
  ASSERT_EQ(logits.size(), want.size());
  double logit_dev = 0.0;
  for (size_t i = 0; i < want.size(); i++) logit_dev = std::max(logit_dev, (double)std::fabs(logits[i] - want[i]));
  EXPECT_LE(logit_dev, 1e-4);
  const float loss = model.loss(batch);
  const double loss_dev = std::fabs(loss - ref.at("loss").data[0]);
  EXPECT_LE(loss_dev, 1e-4);
  model.zero_grad();
  model.backward();
  // The tied decoder writes every row of the word embeddings' gradient.
  EXPECT_EQ(model.workspace().touched_word_rows().size(), (size_t)model.config().vocab_size);

  double grad_dev = 0.0;
  std::string worst;
  const float* grads = model.grads().data();
  for (const NamedParameter& np : model.named_parameters()) {
    const float* g = grads + np.offset;
    // The attention key biases' gradient is zero in exact arithmetic (a constant added to
    // a row of scores leaves its softmax as it is): both sides hold rounding noise.
    const bool zero_in_exact_arithmetic = np.name.ends_with("attention.self.key.bias");
    double dev = 0.0, scale = 0.0;
    if (ref.has("grad/" + np.name)) {
      const auto& r = ref.at("grad/" + np.name).data;
      ASSERT_EQ(r.size(), np.count) << np.name;
      for (float x : r) scale = std::max(scale, (double)std::fabs(x));
      for (size_t i = 0; i < np.count; i++) dev = std::max(dev, std::fabs((double)g[i] - r[i]));
    } else {
      scale = ref.at("grad_absmax/" + np.name).data[0];
      const auto& idx = ref.at("grad_index/" + np.name).data;
      const auto& sample = ref.at("grad_sample/" + np.name).data;
      for (size_t i = 0; i < idx.size(); i++) dev = std::max(dev, std::fabs((double)g[(size_t)idx[i]] - sample[i]));
      double norm = 0.0;
      for (size_t i = 0; i < np.count; i++) norm += (double)g[i] * g[i];
      const double want_norm = ref.at("grad_norm/" + np.name).data[0];
      if (!zero_in_exact_arithmetic) {
        EXPECT_NEAR(std::sqrt(norm), want_norm, 1e-3 * want_norm + 1e-12) << np.name;
      }
    }
    if (zero_in_exact_arithmetic) {
      EXPECT_LE(dev, 1e-5) << np.name;
      continue;
    }
    dev /= scale;
    EXPECT_LE(dev, 1e-3) << np.name;
    if (dev > grad_dev) grad_dev = dev, worst = np.name;
  }
  std::cout << GetParam().name << ": " << logits.size() / model.config().vocab_size << " masked tokens, logits "
            << logit_dev << ", loss " << loss_dev << ", largest relative gradient deviation " << grad_dev << " ("
            << worst << ")\n";
}

INSTANTIATE_TEST_SUITE_P(Cases, MaskedLmParity,
                         ::testing::Values(CaseSpec{"mlm_micro", "micro_mlm"}, CaseSpec{"mlm_tiny2_pairs", "tiny2_mlm"}),
                         [](const auto& info) { return std::string(info.param.name); });

// Central differences in double of the loss against single entries of the head's tensors
// and of the word embeddings (input and tied decoder at once).
TEST(MaskedLmHead, GradientEntriesMatchFiniteDifferences) {
  const ParityCase ref("mlm_micro");
  BertClassifier model = mlm_model("micro_mlm");
  const Batch batch = mlm_batch(ref);
  model.forward(batch, {.backward = true});
  model.loss(batch);
  model.zero_grad();
  model.backward();
  const std::vector<float> grads(model.grads().begin(), model.grads().end());
  auto loss_at = [&](size_t index, float value) {
    float& p = model.parameters()[index];
    const float saved = p;
    p = value;
    model.forward(batch);
    const double loss = model.loss(batch);
    p = saved;
    return loss;
  };
  const std::vector<std::pair<std::string, size_t>> entries = {
      {"cls.predictions.bias", 7},  {"cls.predictions.bias", 40},
      {"cls.predictions.transform.dense.weight", 33}, {"cls.predictions.transform.dense.bias", 5},
      {"cls.predictions.transform.LayerNorm.weight", 3}, {"cls.predictions.transform.LayerNorm.bias", 11},
      {"bert.embeddings.word_embeddings.weight", 4 * 32 + 1},  // [MASK]'s row: input and output
      {"bert.embeddings.word_embeddings.weight", 90 * 32 + 2}};
  for (const auto& [name, i] : entries) {
    const auto np = std::find_if(model.named_parameters().begin(), model.named_parameters().end(),
                                 [&](const NamedParameter& n) { return n.name == name; });
    ASSERT_NE(np, model.named_parameters().end()) << name;
    const size_t index = np->offset + i;
    const float x = model.parameters()[index], h = 1e-2f;
    const double numeric = (loss_at(index, x + h) - loss_at(index, x - h)) / (2.0 * h);
    EXPECT_NEAR(grads[index], numeric, 2e-3 * std::max(1.0, std::fabs(numeric))) << name << "[" << i << "]";
  }
}

// Eight pre-training steps against PyTorch on mlm_micro's batch and mask, composed as
// train/pretrainer.cpp composes them (dense AdamW in the Trainer's groups, the linear
// warm-up schedule, clipping; dropout off): the tied decoder's gradient in every
// word-embedding row, step after step.
TEST(MaskedLmHead, PretrainingStepsFollowPyTorch) {
  std::ifstream in(test::bert_fixtures() / "trajectories" / "mlm_micro.json");
  const nlohmann::json want = nlohmann::json::parse(in);
  const ParityCase ref("mlm_micro");
  BertClassifier model = mlm_model("micro_mlm");
  const test::TrajectoryDeviation dev = test::follow_trajectory(model, mlm_batch(ref), want, "final_masked_logits");
  EXPECT_LE(dev.loss, 1e-4);
  EXPECT_LE(dev.logits, 1e-4);
  std::cout << "mlm_micro: " << want["steps"] << " steps, largest loss deviation " << dev.loss << ", final logits "
            << dev.logits << "\n";
}

TEST(MaskedLmHead, HasNoPoolerOrClassifierAndOnlyBertHasIt) {
  const BertClassifier model = mlm_model("micro_mlm");
  for (const NamedParameter& np : model.named_parameters())
    EXPECT_TRUE(np.name.starts_with("bert.embeddings") || np.name.starts_with("bert.encoder") ||
                np.name.starts_with("cls.predictions."))
        << np.name;
  EXPECT_EQ(model.named_parameters().back().name, "cls.predictions.bias");
  EXPECT_EQ(model.tensors().poolw, nullptr);
  BertConfig roberta = model.config();
  roberta.family = Family::roberta;
  EXPECT_THROW(BertWeights{roberta}, Error);
}

TEST(MaskedLmHead, RejectsLabelsThatDoNotFitTheBatch) {
  const ParityCase ref("mlm_micro");
  BertClassifier model = mlm_model("micro_mlm");
  Batch batch = mlm_batch(ref);
  batch.mlm_labels.pop_back();
  EXPECT_THROW(model.forward(batch), Error);
  batch = mlm_batch(ref);
  batch.mlm_labels[1] = model.config().vocab_size;
  EXPECT_THROW(model.forward(batch), Error);
}

}  // namespace
}  // namespace bertcls::model
