// A run stopped between two steps and continued from its snapshot (parameters, AdamW
// moments, TrainerProgress) is the same run: identical epoch losses and identical final
// parameters, bit for bit. Also early stopping and the choice of the best epoch.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <bertcls/error.h>
#include "hf/pretrained.h"
#include "train/checkpoint.h"
#include "train/trainer.h"
#include "support/keyword_task.h"

namespace bertcls::train {
namespace {

namespace fs = std::filesystem;
using test::fast_options;
using test::KeywordTask;
using test::tiny_config;

struct Snapshot {
  std::vector<float> params;
  ResumePoint resume;
};

Snapshot copy_of(const TrainerSnapshot& s) {
  return {{s.model.parameters().begin(), s.model.parameters().end()},
          {s.progress,
           {s.optimizer.exp_avg().begin(), s.optimizer.exp_avg().end()},
           {s.optimizer.exp_avg_sq().begin(), s.optimizer.exp_avg_sq().end()}}};
}

void expect_same_epochs(const std::vector<EpochReport>& a, const std::vector<EpochReport>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].epoch, b[i].epoch);
    EXPECT_EQ(a[i].steps, b[i].steps);
    EXPECT_EQ(a[i].train_loss, b[i].train_loss) << "epoch " << a[i].epoch;
    EXPECT_EQ(a[i].valid->loss, b[i].valid->loss) << "epoch " << a[i].epoch;
    EXPECT_EQ(a[i].best, b[i].best) << "epoch " << a[i].epoch;
  }
}

// Stops after `stop_step` (mid-epoch, at an epoch's end, inside accumulation groups) and
// continues in a model that started from different weights: only the snapshot carries over.
TEST(TrainResume, AStoppedRunContinuesExactly) {
  const KeywordTask train(60, 1), valid(24, 2);
  const EncodedDataset valid_data = valid.data();
  struct Case {
    std::int64_t grad_accum, stop_step;
  };
  for (const Case c : {Case{1, 3}, Case{1, 8}, Case{2, 5}, Case{1, 23}}) {
    SCOPED_TRACE("grad_accum " + std::to_string(c.grad_accum) + " stop after step " + std::to_string(c.stop_step));
    TrainerOptions o = fast_options();
    o.epochs = 3;
    o.grad_accum = c.grad_accum;
    o.adamw.weight_decay = 0.01;

    model::BertClassifier whole(tiny_config(2), 7);
    const FitResult uninterrupted = fit(whole, io::Task::SingleLabel, 2, train.data(), &valid_data, o);
    ASSERT_FALSE(uninterrupted.interrupted);

    model::BertClassifier first(tiny_config(2), 7);
    Snapshot saved;
    TrainerCallbacks stop_at;
    std::int64_t steps = 0;
    stop_at.stop_requested = [&] { return ++steps == c.stop_step; };
    stop_at.on_checkpoint = [&](const TrainerSnapshot& s) { saved = copy_of(s); };
    const FitResult part1 = fit(first, io::Task::SingleLabel, 2, train.data(), &valid_data, o, stop_at);
    ASSERT_TRUE(part1.interrupted);
    EXPECT_EQ(saved.resume.progress.step, c.stop_step);

    model::BertClassifier second(tiny_config(2), 99);
    std::copy(saved.params.begin(), saved.params.end(), second.parameters().begin());
    const FitResult part2 = fit(second, io::Task::SingleLabel, 2, train.data(), &valid_data, o, {}, &saved.resume);
    ASSERT_FALSE(part2.interrupted);

    std::vector<EpochReport> joined = part1.epochs;
    joined.insert(joined.end(), part2.epochs.begin(), part2.epochs.end());
    expect_same_epochs(uninterrupted.epochs, joined);
    EXPECT_TRUE(std::equal(whole.parameters().begin(), whole.parameters().end(), second.parameters().begin()));
  }
}

TEST(TrainResume, ACheckpointFolderRoundTrips) {
  const fs::path run = fs::temp_directory_path() / ("bertcls_ckpt_" + std::to_string(::getpid()));
  fs::remove_all(run);
  const KeywordTask train(24, 1);
  TrainerOptions o = fast_options();
  o.epochs = 2;
  o.save_steps = 2;
  model::BertClassifier model(tiny_config(2), 7);
  Snapshot last;
  TrainerCallbacks cb;
  const CheckpointInfo info{{{"--seed", 3}}, {{"metrics_bytes", 123}}};
  cb.on_checkpoint = [&](const TrainerSnapshot& s) {
    save_checkpoint(run, s, hf::ModelConfig{tiny_config(2), {"0", "1"}, {}}, nullptr, info);
    last = copy_of(s);
  };
  fit(model, io::Task::SingleLabel, 2, train.data(), nullptr, o, cb);
  // 3 batches a run epoch, 6 steps: checkpoints at 2, 4, 6; only the last one stays.
  EXPECT_FALSE(fs::exists(run / "checkpoint-4"));
  ASSERT_EQ(find_checkpoint(run), fs::absolute(run) / "checkpoint-6");
  const LoadedCheckpoint loaded = read_checkpoint(find_checkpoint(run));
  EXPECT_EQ(loaded.resume.progress.step, 6);
  EXPECT_EQ(loaded.resume.progress.batch_number, last.resume.progress.batch_number);
  EXPECT_EQ(loaded.resume.progress.epoch_loss_sum, last.resume.progress.epoch_loss_sum);
  EXPECT_EQ(loaded.resume.exp_avg, last.resume.exp_avg);
  EXPECT_EQ(loaded.resume.exp_avg_sq, last.resume.exp_avg_sq);
  EXPECT_EQ(loaded.info.caller["metrics_bytes"], 123);
  const hf::PretrainedModel reread = hf::load_pretrained(loaded.dir / "model");
  EXPECT_TRUE(std::equal(last.params.begin(), last.params.end(), reread.weights.parameters().begin()));

  check_same_run(info.run, {{"--seed", 3}, {"--lr", 1}}, loaded.dir);
  try {
    check_same_run(info.run, {{"--seed", 4}}, loaded.dir);
    FAIL() << "a different seed must not resume";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("--seed = 3, this one has 4"), std::string::npos) << e.what();
  }
  // A damaged state file or a missing optimizer file is named.
  std::ofstream(loaded.dir / "trainer_state.json") << "{\"progress\": {\"step\": ";
  try {
    read_checkpoint(loaded.dir);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("trainer_state.json"), std::string::npos) << e.what();
  }
  fs::remove_all(loaded.dir);
  EXPECT_THROW(find_checkpoint(run), Error);
  EXPECT_THROW(find_checkpoint(run / "nope"), Error);
  fs::remove_all(run);
}

TEST(TrainResume, PatienceStopsARunThatNoLongerImproves) {
  const KeywordTask train(32, 1), valid(16, 2);
  const EncodedDataset valid_data = valid.data();
  TrainerOptions o = fast_options();
  o.epochs = 10;
  o.lr = 0.0;  // nothing changes, so only the first epoch is ever the best
  o.patience = 2;
  model::BertClassifier model(tiny_config(2), 7);
  const FitResult r = fit(model, io::Task::SingleLabel, 2, train.data(), &valid_data, o);
  EXPECT_TRUE(r.early_stopped);
  ASSERT_EQ(r.epochs.size(), 3u);
  EXPECT_TRUE(r.epochs[0].best);
  EXPECT_FALSE(r.epochs[1].best);
  EXPECT_FALSE(r.epochs[2].best);
  // Without validation data there is nothing to be patient about.
  EXPECT_THROW(fit(model, io::Task::SingleLabel, 2, train.data(), nullptr, o), Error);
}

TEST(TrainResume, TheMetricPicksTheBestEpoch) {
  EvalResult r;
  r.loss = 0.25;
  r.classification.accuracy = 0.75;
  r.classification.macro.f1 = 0.5;
  EXPECT_EQ(r.score(), 0.75);
  EXPECT_EQ(r.score(parse_selection_metric("accuracy")), 0.75);
  EXPECT_EQ(r.score(parse_selection_metric("f1_macro")), 0.5);
  EXPECT_EQ(r.score(parse_selection_metric("loss")), -0.25);
  EXPECT_THROW(parse_selection_metric("f1"), Error);
  r.task = io::Task::Regression;
  EXPECT_THROW(r.score(SelectionMetric::F1Macro), Error);
  // With --metric loss, an epoch with lower validation loss but no better accuracy is best.
  const KeywordTask train(32, 1), valid(16, 2);
  const EncodedDataset valid_data = valid.data();
  TrainerOptions o = fast_options();
  o.epochs = 4;
  o.metric = SelectionMetric::Loss;
  model::BertClassifier model(tiny_config(2), 7);
  const FitResult fitted = fit(model, io::Task::SingleLabel, 2, train.data(), &valid_data, o);
  double best_loss = 1e9;
  for (const EpochReport& e : fitted.epochs) {
    EXPECT_EQ(e.best, e.valid->loss < best_loss) << "epoch " << e.epoch;
    best_loss = std::min(best_loss, e.valid->loss);
  }
}

}  // namespace
}  // namespace bertcls::train
