// Step counts for epochs, gradient accumulation, --max-steps and warm-up.
#include <gtest/gtest.h>

#include <bertcls/error.h>
#include "train/training_plan.h"

namespace bertcls::train {
namespace {

TEST(TrainPlan, TutorialStepsAreBatchesTimesEpochs) {
  const auto p = plan_training({.batches_per_epoch = 1532, .epochs = 2});
  EXPECT_EQ(p.steps_per_epoch, 1532);
  EXPECT_EQ(p.total_steps, 3064);
  EXPECT_EQ(p.warmup_steps, 0);
  EXPECT_TRUE(p.steps_after(0));
  EXPECT_EQ(p.group_size(7), 1);
}

TEST(TrainPlan, AccumulationGroupsBatchesAndAShortLastGroupStillSteps) {
  // 10 batches, groups of 4: steps after batches 3, 7 and 9 (the last group has 2).
  const auto p = plan_training({.batches_per_epoch = 10, .epochs = 3, .grad_accum = 4});
  EXPECT_EQ(p.steps_per_epoch, 3);
  EXPECT_EQ(p.total_steps, 9);
  int steps = 0;
  for (int b = 0; b < 10; ++b) steps += p.steps_after(b);
  EXPECT_EQ(steps, 3);
  EXPECT_TRUE(p.steps_after(3));
  EXPECT_FALSE(p.steps_after(8));
  EXPECT_TRUE(p.steps_after(9));
  EXPECT_EQ(p.group_size(0), 4);
  EXPECT_EQ(p.group_size(8), 2);
  EXPECT_EQ(p.group_size(9), 2);
}

TEST(TrainPlan, MaxStepsOverridesEpochs) {
  const auto p = plan_training({.batches_per_epoch = 10, .epochs = 1, .max_steps = 25});
  EXPECT_EQ(p.total_steps, 25);
  EXPECT_EQ(p.epochs, 3);  // ceil(25 / 10)
}

TEST(TrainPlan, WarmupStepsWinOverRatioAndRatioRoundsUp) {
  EXPECT_EQ(plan_training({.batches_per_epoch = 95, .warmup_ratio = 0.1}).warmup_steps, 10);
  EXPECT_EQ(plan_training({.batches_per_epoch = 95, .warmup_steps = 3, .warmup_ratio = 0.1}).warmup_steps, 3);
}

TEST(TrainPlan, RejectsImpossibleSettings) {
  EXPECT_THROW(plan_training({.batches_per_epoch = 0}), Error);
  EXPECT_THROW(plan_training({.batches_per_epoch = 5, .epochs = 0}), Error);
  EXPECT_THROW(plan_training({.batches_per_epoch = 5, .grad_accum = 0}), Error);
  EXPECT_THROW(plan_training({.batches_per_epoch = 5, .max_steps = -1}), Error);
  EXPECT_THROW(plan_training({.batches_per_epoch = 5, .warmup_ratio = 2.0}), Error);
}

}  // namespace
}  // namespace bertcls::train
