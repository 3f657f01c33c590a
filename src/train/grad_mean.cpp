#include "train/grad_mean.h"

#include <vector>

namespace bertcls::train {

void divide_by_group(std::span<float> grads, std::span<const ParamSegment> segments, std::int64_t group,
                     std::span<const std::int32_t> touched_rows) {
  const auto divisor = static_cast<float>(group);
  auto divide = [&](std::size_t at, std::size_t n) {
    for (float& g : grads.subspan(at, n)) g /= divisor;
  };
  for (const ParamSegment& s : segments) {
    if (s.row_size == 0) {
      divide(s.offset, s.size);
      continue;
    }
    // A repeated row would be divided twice: mark each as done by its first visit.
    std::vector<bool> done(s.size / s.row_size);
    for (std::int32_t r : touched_rows)
      if (!done[static_cast<std::size_t>(r)]) {
        done[static_cast<std::size_t>(r)] = true;
        divide(s.offset + static_cast<std::size_t>(r) * s.row_size, s.row_size);
      }
  }
}

}  // namespace bertcls::train
