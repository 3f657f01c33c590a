// bf16 fine-tuning (TrainerOptions::precision): 200 steps of train::fit in bf16 end within
// 1% of fp32's loss trajectory on a small model, and a CPU without bf16 is refused with
// the inference option's message (ctest train_bf16_refused runs that under
// ONEDNN_MAX_CPU_ISA=AVX2, as an AVX2-only CPU).
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "support/io_test_support.h"
#include "support/keyword_task.h"
#include "tensor/packed_linear.h"
#include "train/trainer.h"

namespace bertcls::train {
namespace {

using test::KeywordTask;

constexpr int kSteps = 200, kWindow = 20;

// The keyword task with every fifth label flipped: the loss cannot fall to 0, so a
// relative tolerance means the same at the end as at the start.
KeywordTask noisy_task() {
  KeywordTask task(320, 5);
  for (std::size_t i = 0; i < task.examples.size(); i += 5) {
    io::Example& ex = task.examples[i];
    ex.label = 1 - ex.label;
    ex.labels = {ex.label};
  }
  return task;
}

// The mean batch loss of each step of a 200-step run (dropout on, warm-up, clipping).
std::vector<double> step_losses(tensor::Precision precision) {
  const KeywordTask task = noisy_task();
  model::BertClassifier model(test::tiny_bert_config({.vocab_size = 40,
                                                      .hidden_size = 64,
                                                      .num_attention_heads = 4,
                                                      .intermediate_size = 128}),
                              11);
  TrainerOptions o = test::fast_options();
  o.epochs = 20;
  o.batch_size = 16;
  o.lr = 1e-3;
  o.max_steps = kSteps;
  o.precision = precision;
  // StepReport::loss is the epoch's running mean: each step's own is what it adds.
  std::vector<double> losses;
  double previous_sum = 0.0;
  TrainerCallbacks cb;
  cb.on_step = [&](const StepReport& r) {
    const double sum = r.loss * static_cast<double>(r.batch);
    losses.push_back(r.batch == 1 ? sum : sum - previous_sum);
    previous_sum = sum;
  };
  fit(model, io::Task::SingleLabel, 2, task.data(), nullptr, o, cb);
  return losses;
}

TEST(TrainBf16, TwoHundredStepsFollowTheFp32LossTrajectoryWithinOnePercent) {
  if (const std::string missing = tensor::bf16_missing_feature(); !missing.empty()) GTEST_SKIP() << "bf16 needs " << missing;
  const std::vector<double> fp32 = step_losses(tensor::Precision::fp32), bf16 = step_losses(tensor::Precision::bf16);
  ASSERT_EQ(fp32.size(), static_cast<std::size_t>(kSteps));
  ASSERT_EQ(bf16.size(), fp32.size());
  EXPECT_NE(fp32, bf16) << "bf16 trained fp32's bits";
  // Windows of 20 steps: one step's loss swings with its batch, their mean with the model.
  double worst = 0.0;
  std::vector<double> fp32_means;
  for (int w = 0; w < kSteps / kWindow; w++) {
    double a = 0.0, b = 0.0;
    for (int s = w * kWindow; s < (w + 1) * kWindow; s++) a += fp32[s], b += bf16[s];
    worst = std::max(worst, std::fabs(b - a) / a);
    fp32_means.push_back(a / kWindow);
    EXPECT_LE(std::fabs(b - a) / a, 0.01) << "steps " << w * kWindow + 1 << "-" << (w + 1) * kWindow << ": fp32 mean "
                                          << a / kWindow << ", bf16 " << b / kWindow;
  }
  std::cout << "bf16 vs fp32, largest relative gap of a 20-step mean loss: " << worst << "; fp32's means:";
  for (double m : fp32_means) std::cout << " " << m;
  std::cout << "\n";
  EXPECT_LT(fp32_means.back(), 0.8 * fp32_means.front()) << "the run learned nothing to compare";
}

TEST(TrainBf16, IsRefusedWhereTheCpuLacksIt) {
  const std::string missing = tensor::bf16_missing_feature();
  if (missing.empty()) GTEST_SKIP() << "this CPU runs bf16 (ctest train_bf16_refused caps oneDNN at AVX2)";
  const KeywordTask task(16, 1);
  model::BertClassifier model(test::tiny_config(2), 7);
  TrainerOptions o = test::fast_options();
  o.precision = tensor::Precision::bf16;
  test::expect_error([&] { fit(model, io::Task::SingleLabel, 2, task.data(), nullptr, o); },
                     {"bf16 training (--precision bf16) needs a CPU with", missing});
}

}  // namespace
}  // namespace bertcls::train
