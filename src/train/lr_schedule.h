// The learning-rate schedule of transformers.get_linear_schedule_with_warmup, driven the
// way LambdaLR drives it: optimizer step k (0-based) uses base_lr * multiplier(k), so with
// warm-up the very first step has learning rate 0, as in Hugging Face.
#pragma once

#include <cstdint>

namespace bertcls::train {

// k / warmup while k < warmup, then falls linearly from 1 to 0 at total_steps (never
// below 0). Zero warm-up starts at 1.
double linear_warmup_multiplier(std::int64_t step, std::int64_t warmup_steps, std::int64_t total_steps);

// TrainingArguments.get_warmup_steps for --warmup-ratio: ceil(ratio * total_steps).
// Throws bertcls::Error unless 0 <= ratio <= 1.
std::int64_t warmup_steps_from_ratio(double ratio, std::int64_t total_steps);

struct LinearWarmupSchedule {
  double base_lr;
  std::int64_t warmup_steps;
  std::int64_t total_steps;

  double lr(std::int64_t step) const { return base_lr * linear_warmup_multiplier(step, warmup_steps, total_steps); }
};

}  // namespace bertcls::train
