#include "train/adamw.h"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cmath>

#include <bertcls/error.h>

#include "tensor/cpu_features.h"
#include "tensor/threads.h"
#include "train/adamw_update.h"

namespace bertcls::train {

bool trainer_applies_weight_decay(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.find("bias") == std::string::npos && lower.find("layernorm") == std::string::npos &&
         lower.find("layer_norm") == std::string::npos;
}

AdamWOptions AdamWOptions::transformers_no_bias_correction() {
  AdamWOptions o;
  o.eps = 1e-6;
  o.bias_correction = false;
  return o;
}

AdamW::AdamW(std::vector<ParamSegment> segments, AdamWOptions options)
    : segments_(std::move(segments)), options_(options), rows_segment_(segments_.size()) {
  std::vector<const ParamSegment*> by_offset;
  for (const ParamSegment& s : segments_) by_offset.push_back(&s);
  std::sort(by_offset.begin(), by_offset.end(), [](auto* a, auto* b) { return a->offset < b->offset; });
  std::size_t end = 0;
  for (const ParamSegment* s : by_offset) {
    if (s->offset != end)
      throw Error("AdamW: parameter '" + s->name + "' starts at " + std::to_string(s->offset) + ", expected " +
                  std::to_string(end) + " (segments must tile the buffer without gaps or overlaps)");
    end += s->size;
  }
  for (std::size_t i = 0; i < segments_.size(); ++i) {
    const ParamSegment& s = segments_[i];
    if (s.row_size == 0) continue;
    if (rows_segment_ != segments_.size()) throw Error("AdamW: only one parameter may be lazy in rows, not '" + s.name + "' too");
    if (s.size % s.row_size != 0)
      throw Error("AdamW: rows of " + std::to_string(s.row_size) + " do not divide '" + s.name + "' (" +
                  std::to_string(s.size) + " elements)");
    rows_segment_ = i;
    row_steps_.assign(s.size / s.row_size, 0);
    zeros_.assign(s.row_size, 0.0f);
  }
  auto in_unit = [](double b) { return b >= 0.0 && b < 1.0; };
  if (!in_unit(options_.beta1) || !in_unit(options_.beta2))
    throw Error("AdamW: betas must lie in [0, 1), got " + std::to_string(options_.beta1) + ", " +
                std::to_string(options_.beta2));
  if (!(options_.eps >= 0.0)) throw Error("AdamW: eps must be >= 0");
  if (!(options_.weight_decay >= 0.0)) throw Error("AdamW: weight decay must be >= 0");
  exp_avg_.assign(end, 0.0f);
  exp_avg_sq_.assign(end, 0.0f);
}

void AdamW::restore(std::span<const float> exp_avg, std::span<const float> exp_avg_sq, std::int64_t steps) {
  if (exp_avg.size() != exp_avg_.size() || exp_avg_sq.size() != exp_avg_sq_.size())
    throw Error("optimizer state has " + std::to_string(exp_avg.size()) + " and " + std::to_string(exp_avg_sq.size()) +
                " moments, the model " + std::to_string(exp_avg_.size()) + " parameters");
  if (steps < 0) throw Error("optimizer state: negative step count");
  std::copy(exp_avg.begin(), exp_avg.end(), exp_avg_.begin());
  std::copy(exp_avg_sq.begin(), exp_avg_sq.end(), exp_avg_sq_.begin());
  steps_ = flushed_steps_ = steps;
  std::fill(row_steps_.begin(), row_steps_.end(), steps);
  skipped_.clear();
}

void AdamW::check_sizes(std::span<float> params, std::span<const float> grads) const {
  if (params.size() != num_params() || grads.size() != num_params())
    throw Error("AdamW: expected " + std::to_string(num_params()) + " parameters and gradients, got " +
                std::to_string(params.size()) + " and " + std::to_string(grads.size()));
}

void AdamW::step(std::span<float> params, std::span<const float> grads, double lr) {
  check_sizes(params, grads);
  flush(params);
  update(params, grads, lr, true);
  std::fill(row_steps_.begin(), row_steps_.end(), steps_);
  flushed_steps_ = steps_;
}

void AdamW::step(std::span<float> params, std::span<const float> grads, double lr,
                 std::span<const std::int32_t> touched_rows) {
  check_sizes(params, grads);
  if (rows_segment_ == segments_.size()) return update(params, grads, lr, true);
  take_due(touched_rows, steps_ + 1);
  update(params, grads, lr, false);
}

void AdamW::take_due(std::span<const std::int32_t> rows, std::int64_t steps) {
  const auto count = static_cast<std::int64_t>(row_steps_.size());
  for (std::int32_t r : rows)
    if (r < 0 || r >= count)
      throw Error("AdamW: row " + std::to_string(r) + " of '" + segments_[rows_segment_].name + "', which has " +
                  std::to_string(count) + " rows");
  due_.clear();
  for (std::int32_t r : rows) {
    std::int64_t& had = row_steps_[static_cast<std::size_t>(r)];
    if (had >= steps) continue;  // up to date, or a repeat
    due_.push_back({r, had});
    had = steps;
  }
}

namespace {

// Every element +0.0f, bit for bit (a -0.0f moment would not stay zero the same way).
[[gnu::always_inline]] inline bool all_positive_zero(const float* x, std::size_t n) {
  std::uint32_t bits = 0;
  for (std::size_t i = 0; i < n; ++i) bits |= std::bit_cast<std::uint32_t>(x[i]);
  return bits == 0;
}

template <bool kBiasCorrection>
[[gnu::always_inline]] inline void adamw_decay(float* p, std::size_t n, const AdamWStep& s) {
  for (std::size_t i = 0; i < n; ++i) adamw_decay<kBiasCorrection>(p[i], s);
}

}  // namespace

// Brings one row of the rows segment from `from` steps to `to` with zero gradients: what
// dense steps compute, in the same order, but for the arithmetic that provably changes
// nothing on a row whose moments are +0 (zero_moments_only_decay). Inlined into the
// BERTCLS_HOT callers.
[[gnu::always_inline]] inline void AdamW::replay(float* params, std::int32_t row, std::int64_t from,
                                                 std::int64_t to) {
  const ParamSegment& s = segments_[rows_segment_];
  const std::size_t at = s.offset + static_cast<std::size_t>(row) * s.row_size, n = s.row_size;
  float *p = params + at, *m = exp_avg_.data() + at, *v = exp_avg_sq_.data() + at;
  const AdamWConstants c = adamw_constants(options_);
  const bool zero_moments = all_positive_zero(m, n) && all_positive_zero(v, n);
  for (std::int64_t k = from; k < to; ++k) {
    const AdamWStep& step = skipped_[static_cast<std::size_t>(k - flushed_steps_)];
    if (!zero_moments || !zero_moments_only_decay(c, step)) adamw_update(p, zeros_.data(), m, v, n, c, step);
    else if (!c.bias_correction) adamw_decay<false>(p, n, step);  // p + -0 * p turns p = -0 into +0
    else if (step.keep != 1.0f) adamw_decay<true>(p, n, step);    // p * 1 is p: no decay, nothing to do
  }
}

// Memory-bound when dense (it streams parameters, gradients and both moments), yet the
// largest of our own loops in a step: compiled per instruction set like the engine's
// elementwise ones.
BERTCLS_HOT void AdamW::update(std::span<float> params, std::span<const float> grads, double lr, bool dense) {
  ++steps_;
  const AdamWConstants c = adamw_constants(options_);
  const bool lazy = !dense && rows_segment_ < segments_.size();
  std::size_t work = num_params();
  if (lazy) {
    const ParamSegment& rows = segments_[rows_segment_];
    skipped_.push_back(adamw_step(options_, lr, steps_, rows.decay ? options_.weight_decay : 0.0));
    work = num_params() - rows.size + due_.size() * rows.row_size;
  }

  // Elementwise, so splitting the elements (and rows) between threads gives the same
  // bits whatever the thread count. One team for all segments; `nowait` lets a thread go
  // on to the next segment without a barrier, as segments share nothing.
#pragma omp parallel if (tensor::worth_parallel(static_cast<long>(work)))
  for (std::size_t i = 0; i < segments_.size(); ++i) {
    const ParamSegment& s = segments_[i];
    const AdamWStep step = adamw_step(options_, lr, steps_, s.decay ? options_.weight_decay : 0.0);
    float* p = params.data() + s.offset;
    const float* g = grads.data() + s.offset;
    float* m = exp_avg_.data() + s.offset;
    float* v = exp_avg_sq_.data() + s.offset;
    if (lazy && i == rows_segment_) {
      // Rows wait for their replay for different numbers of steps: hand them out in chunks.
#pragma omp for schedule(dynamic, 8) nowait
      for (std::size_t j = 0; j < due_.size(); ++j) {
        replay(params.data(), due_[j].row, due_[j].steps, steps_ - 1);
        const std::size_t at = static_cast<std::size_t>(due_[j].row) * s.row_size;
        adamw_update(p + at, g + at, m + at, v + at, s.row_size, c, step);
      }
    } else {
      constexpr std::size_t kChunk = 4096;
      const std::size_t chunks = (s.size + kChunk - 1) / kChunk;
#pragma omp for schedule(static) nowait
      for (std::size_t k = 0; k < chunks; ++k) {
        const std::size_t at = k * kChunk, n = std::min(kChunk, s.size - at);
        adamw_update(p + at, g + at, m + at, v + at, n, c, step);
      }
    }
  }
}

BERTCLS_HOT void AdamW::catch_up(std::span<float> params, std::span<const std::int32_t> rows) {
  if (skipped_.empty()) return;
  if (params.size() != num_params())
    throw Error("AdamW: expected " + std::to_string(num_params()) + " parameters, got " + std::to_string(params.size()));
  take_due(rows, steps_);
  const std::size_t work = due_.size() * segments_[rows_segment_].row_size * skipped_.size();
#pragma omp parallel for schedule(dynamic, 8) if (tensor::worth_parallel(static_cast<long>(work)))
  for (std::size_t j = 0; j < due_.size(); ++j) replay(params.data(), due_[j].row, due_[j].steps, steps_);
}

BERTCLS_HOT void AdamW::flush(std::span<float> params) {
  if (skipped_.empty()) return;
  if (params.size() != num_params())
    throw Error("AdamW: expected " + std::to_string(num_params()) + " parameters, got " + std::to_string(params.size()));
  const auto rows = static_cast<long>(row_steps_.size());
#pragma omp parallel for schedule(dynamic, 64) if (tensor::worth_parallel(static_cast<long>(segments_[rows_segment_].size)))
  for (long r = 0; r < rows; ++r) {
    std::int64_t& had = row_steps_[static_cast<std::size_t>(r)];
    if (had == steps_) continue;
    replay(params.data(), static_cast<std::int32_t>(r), had, steps_);
    had = steps_;
  }
  skipped_.clear();
  flushed_steps_ = steps_;
}

}  // namespace bertcls::train
