#include "train/grad_clip.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "tensor/cpu_features.h"
#include "tensor/threads.h"

namespace bertcls::train {

namespace {

// Sum of squares in double, over fixed blocks added in order, so the result depends
// neither on the thread count nor on the schedule. Eight accumulators per block let the
// compiler vectorize and hide the add latency; a single running sum would be bound by it
// (on rubert-tiny2's 29M gradients that was the bulk of a clipping pass).
BERTCLS_HOT double sum_of_squares(const float* x, std::size_t n) {
  constexpr std::size_t kBlock = std::size_t{1} << 14, kLanes = 8;
  const long blocks = static_cast<long>((n + kBlock - 1) / kBlock);
  std::vector<double> partial(static_cast<std::size_t>(blocks));
#pragma omp parallel for schedule(static) if (tensor::worth_parallel(static_cast<long>(n)))
  for (long b = 0; b < blocks; ++b) {
    const std::size_t begin = static_cast<std::size_t>(b) * kBlock, end = std::min(n, begin + kBlock);
    double lanes[kLanes] = {};
    std::size_t i = begin;
    for (; i + kLanes <= end; i += kLanes)
      for (std::size_t j = 0; j < kLanes; ++j) lanes[j] += static_cast<double>(x[i + j]) * x[i + j];
    for (; i < end; ++i) lanes[0] += static_cast<double>(x[i]) * x[i];
    double sum = 0.0;
    for (double lane : lanes) sum += lane;
    partial[static_cast<std::size_t>(b)] = sum;
  }
  double total = 0.0;
  for (double p : partial) total += p;
  return total;
}

}  // namespace

float global_grad_norm(std::span<const float> grads, std::span<const ParamSegment> segments) {
  double total_sq = 0.0;
  for (const ParamSegment& s : segments) {
    const float norm = static_cast<float>(std::sqrt(sum_of_squares(grads.data() + s.offset, s.size)));
    total_sq += static_cast<double>(norm) * norm;
  }
  return static_cast<float>(std::sqrt(total_sq));
}

// The scaling pass runs over every gradient (29M on rubert-tiny2) whenever clipping bites.
BERTCLS_HOT float clip_grad_norm(std::span<float> grads, std::span<const ParamSegment> segments, float max_norm) {
  const float norm = global_grad_norm(grads, segments);
  const float coef = max_norm / (norm + 1e-6f);
  // torch.clamp(coef, max=1) keeps a NaN; std::min(coef, 1) does too (NaN compares false).
  const float clamped = std::min(coef, 1.0f);
  if (clamped == 1.0f) return norm;  // multiplying by one changes nothing: skip the pass
  long total = 0;
  for (const ParamSegment& s : segments) total += static_cast<long>(s.size);
#pragma omp parallel if (tensor::worth_parallel(total))
  for (const ParamSegment& s : segments) {
    float* g = grads.data() + s.offset;
    const long n = static_cast<long>(s.size);
#pragma omp for schedule(static) nowait
    for (long i = 0; i < n; ++i) g[i] *= clamped;
  }
  return norm;
}

}  // namespace bertcls::train
