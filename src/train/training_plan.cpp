#include "train/training_plan.h"

#include <algorithm>
#include <string>

#include <bertcls/error.h>
#include "train/lr_schedule.h"

namespace bertcls::train {

TrainingPlan plan_training(const TrainingPlanOptions& o) {
  if (o.batches_per_epoch < 1) throw Error("no training batches");
  if (o.grad_accum < 1) throw Error("grad_accum must be at least 1, got " + std::to_string(o.grad_accum));
  if (o.max_steps < 0) throw Error("max_steps must not be negative, got " + std::to_string(o.max_steps));
  if (o.warmup_steps < 0) throw Error("warmup_steps must not be negative, got " + std::to_string(o.warmup_steps));
  if (o.max_steps == 0 && o.epochs < 1) throw Error("epochs must be at least 1, got " + std::to_string(o.epochs));
  TrainingPlan p;
  p.grad_accum = o.grad_accum;
  p.batches_per_epoch = o.batches_per_epoch;
  p.steps_per_epoch = (o.batches_per_epoch + o.grad_accum - 1) / o.grad_accum;
  if (o.max_steps > 0) {
    p.total_steps = o.max_steps;
    p.epochs = (o.max_steps + p.steps_per_epoch - 1) / p.steps_per_epoch;
  } else {
    p.total_steps = o.epochs * p.steps_per_epoch;
    p.epochs = o.epochs;
  }
  p.warmup_steps = o.warmup_steps > 0 ? o.warmup_steps : warmup_steps_from_ratio(o.warmup_ratio, p.total_steps);
  return p;
}

std::int64_t TrainingPlan::group_size(std::int64_t b) const {
  const std::int64_t start = b / grad_accum * grad_accum;
  return std::min(grad_accum, batches_per_epoch - start);
}

bool TrainingPlan::steps_after(std::int64_t b) const { return (b + 1) % grad_accum == 0 || b + 1 == batches_per_epoch; }

}  // namespace bertcls::train
