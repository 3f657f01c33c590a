#include "train/lr_schedule.h"

#include <algorithm>
#include <cmath>
#include <string>

#include <bertcls/error.h>

namespace bertcls::train {

double linear_warmup_multiplier(std::int64_t step, std::int64_t warmup_steps, std::int64_t total_steps) {
  if (step < warmup_steps) return static_cast<double>(step) / static_cast<double>(std::max<std::int64_t>(1, warmup_steps));
  return std::max(0.0, static_cast<double>(total_steps - step) /
                           static_cast<double>(std::max<std::int64_t>(1, total_steps - warmup_steps)));
}

std::int64_t warmup_steps_from_ratio(double ratio, std::int64_t total_steps) {
  if (!(ratio >= 0.0 && ratio <= 1.0)) throw Error("warmup_ratio must lie in [0, 1], got " + std::to_string(ratio));
  return static_cast<std::int64_t>(std::ceil(ratio * static_cast<double>(total_steps)));
}

}  // namespace bertcls::train
