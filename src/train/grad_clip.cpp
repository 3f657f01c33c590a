#include "train/grad_clip.h"

#include <algorithm>
#include <cmath>

namespace bertcls::train {

float global_grad_norm(std::span<const float> grads, std::span<const ParamSegment> segments) {
  double total_sq = 0.0;
  for (const ParamSegment& s : segments) {
    double sq = 0.0;
    for (std::size_t i = s.offset; i < s.offset + s.size; ++i) sq += static_cast<double>(grads[i]) * grads[i];
    const float norm = static_cast<float>(std::sqrt(sq));
    total_sq += static_cast<double>(norm) * norm;
  }
  return static_cast<float>(std::sqrt(total_sq));
}

float clip_grad_norm(std::span<float> grads, std::span<const ParamSegment> segments, float max_norm) {
  const float norm = global_grad_norm(grads, segments);
  const float coef = max_norm / (norm + 1e-6f);
  // torch.clamp(coef, max=1) keeps a NaN; std::min(coef, 1) does too (NaN compares false).
  const float clamped = std::min(coef, 1.0f);
  for (const ParamSegment& s : segments)
    for (std::size_t i = s.offset; i < s.offset + s.size; ++i) grads[i] *= clamped;
  return norm;
}

}  // namespace bertcls::train
