#include "train/grad_clip.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "tensor/cpu_features.h"
#include "tensor/threads.h"

namespace bertcls::train {

namespace {

constexpr std::size_t kBlock = std::size_t{1} << 14, kLanes = 8;

// Sum of squares in double, over fixed blocks added in order, so the result depends
// neither on the thread count nor on the schedule. Eight accumulators per block let the
// compiler vectorize and hide the add latency; a single running sum would be bound by it
// (on rubert-tiny2's 29M gradients that was the bulk of a clipping pass).
BERTCLS_HOT double sum_of_squares(const float* x, std::size_t n) {
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

// sum_of_squares of a table of rows that are +0 but `rows` (sorted, distinct), bit for
// bit: every element goes to the block, lane and place in its lane's order that it has
// there; only the zeros are left out, and adding a zero square changes no sum. (A float
// square is exact in double, so a fused multiply-add in sum_of_squares rounds alike.)
double sum_of_squares_rows(const float* x, std::size_t n, std::size_t row_size, std::span<const std::int32_t> rows) {
  auto row_begin = [&](std::size_t q) { return static_cast<std::size_t>(rows[q]) * row_size; };
  double total = 0.0;
  std::size_t r = 0, done = 0;  // rows before r and elements before done are summed
  while (r < rows.size()) {
    const std::size_t begin = std::max(done, row_begin(r)) / kBlock * kBlock, end = std::min(n, begin + kBlock);
    const std::size_t lanes_end = begin + (end - begin) / kLanes * kLanes;
    double lanes[kLanes] = {};
    for (std::size_t q = r; q < rows.size() && row_begin(q) < end; ++q)
      for (std::size_t i = std::max(begin, row_begin(q)), hi = std::min(end, row_begin(q) + row_size); i < hi; ++i)
        lanes[i < lanes_end ? (i - begin) % kLanes : 0] += static_cast<double>(x[i]) * x[i];
    while (r < rows.size() && row_begin(r) + row_size <= end) ++r;
    done = end;
    double sum = 0.0;
    for (double lane : lanes) sum += lane;
    total += sum;
  }
  return total;
}

std::vector<std::int32_t> sorted_distinct(std::span<const std::int32_t> rows) {
  std::vector<std::int32_t> sorted(rows.begin(), rows.end());
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  return sorted;
}

// `rows`: the touched rows of the segment with rows, sorted and distinct; null: dense.
float grad_norm(std::span<const float> grads, std::span<const ParamSegment> segments,
                const std::vector<std::int32_t>* rows) {
  double total_sq = 0.0;
  for (const ParamSegment& s : segments) {
    const float* g = grads.data() + s.offset;
    const double sum = rows && s.row_size > 0 ? sum_of_squares_rows(g, s.size, s.row_size, *rows) : sum_of_squares(g, s.size);
    const float norm = static_cast<float>(std::sqrt(sum));
    total_sq += static_cast<double>(norm) * norm;
  }
  return static_cast<float>(std::sqrt(total_sq));
}

// The scaling pass runs over every gradient (29M on rubert-tiny2) unless told the rows.
BERTCLS_HOT void scale(std::span<float> grads, std::span<const ParamSegment> segments, float factor,
                       const std::vector<std::int32_t>* rows) {
  long total = 0;
  for (const ParamSegment& s : segments) total += static_cast<long>(s.size);
#pragma omp parallel if (tensor::worth_parallel(total))
  for (const ParamSegment& s : segments) {
    float* g = grads.data() + s.offset;
    if (rows && s.row_size > 0) {
      const long n = static_cast<long>(rows->size());
#pragma omp for schedule(static) nowait
      for (long j = 0; j < n; ++j) {
        float* row = g + static_cast<std::size_t>((*rows)[static_cast<std::size_t>(j)]) * s.row_size;
        for (std::size_t i = 0; i < s.row_size; ++i) row[i] *= factor;
      }
    } else {
      const long n = static_cast<long>(s.size);
#pragma omp for schedule(static) nowait
      for (long i = 0; i < n; ++i) g[i] *= factor;
    }
  }
}

float clip(std::span<float> grads, std::span<const ParamSegment> segments, float max_norm,
           const std::vector<std::int32_t>* rows) {
  const float norm = grad_norm(grads, segments, rows);
  const float coef = max_norm / (norm + 1e-6f);
  // torch.clamp(coef, max=1) keeps a NaN; std::min(coef, 1) does too (NaN compares false).
  const float clamped = std::min(coef, 1.0f);
  if (clamped == 1.0f) return norm;  // multiplying by one changes nothing: skip the pass
  scale(grads, segments, clamped, std::isnan(clamped) ? nullptr : rows);  // NaN * 0 is no zero
  return norm;
}

}  // namespace

float global_grad_norm(std::span<const float> grads, std::span<const ParamSegment> segments) {
  return grad_norm(grads, segments, nullptr);
}

float clip_grad_norm(std::span<float> grads, std::span<const ParamSegment> segments, float max_norm) {
  return clip(grads, segments, max_norm, nullptr);
}

float global_grad_norm(std::span<const float> grads, std::span<const ParamSegment> segments,
                       std::span<const std::int32_t> touched_rows) {
  const std::vector<std::int32_t> rows = sorted_distinct(touched_rows);
  return grad_norm(grads, segments, &rows);
}

float clip_grad_norm(std::span<float> grads, std::span<const ParamSegment> segments, float max_norm,
                     std::span<const std::int32_t> touched_rows) {
  const std::vector<std::int32_t> rows = sorted_distinct(touched_rows);
  return clip(grads, segments, max_norm, &rows);
}

}  // namespace bertcls::train
