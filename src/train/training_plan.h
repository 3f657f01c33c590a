// How many optimizer steps a run takes: batches per epoch grouped by gradient
// accumulation, --epochs or --max-steps, and the warm-up length.
//
// Accumulation: every --grad-accum consecutive batches of an epoch make one optimizer
// step; a shorter group at the epoch's end still makes a step (its gradients are never
// carried into the next epoch), and each batch's loss is divided by the size of its group
// so a step always follows the mean gradient. With --grad-accum 1 the step count is the
// tutorial's len(train_loader) * epochs, the num_training_steps it gives the schedule.
#pragma once

#include <cstdint>

namespace bertcls::train {

struct TrainingPlanOptions {
  std::int64_t batches_per_epoch = 0;
  std::int64_t epochs = 1;
  std::int64_t grad_accum = 1;
  std::int64_t max_steps = 0;      // > 0: stop after this many optimizer steps (overrides epochs)
  std::int64_t warmup_steps = 0;   // > 0: wins over warmup_ratio, as in TrainingArguments
  double warmup_ratio = 0.0;
};

struct TrainingPlan {
  std::int64_t steps_per_epoch = 0;  // ceil(batches_per_epoch / grad_accum)
  std::int64_t total_steps = 0;      // the schedule's num_training_steps
  std::int64_t epochs = 0;           // epochs started (the last may stop early at max_steps)
  std::int64_t warmup_steps = 0;
  std::int64_t grad_accum = 1;
  std::int64_t batches_per_epoch = 0;

  // Number of batches in the accumulation group of the epoch's batch b (0-based).
  std::int64_t group_size(std::int64_t b) const;
  // Whether the optimizer steps after the epoch's batch b.
  bool steps_after(std::int64_t b) const;
};

// Throws bertcls::Error for no batches, epochs < 1 without max_steps, grad_accum < 1,
// negative steps or a warm-up ratio outside [0, 1].
TrainingPlan plan_training(const TrainingPlanOptions& options);

}  // namespace bertcls::train
