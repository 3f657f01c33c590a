#include "train/adamw.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include <bertcls/error.h>

#include "tensor/cpu_features.h"
#include "tensor/threads.h"

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
    : segments_(std::move(segments)), options_(options) {
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
  steps_ = steps;
}

// Memory-bound (it streams parameters, gradients and both moments), yet the largest of
// our own loops in a step: compiled per instruction set like the engine's elementwise ones.
BERTCLS_HOT void AdamW::step(std::span<float> params, std::span<const float> grads, double lr) {
  if (params.size() != num_params() || grads.size() != num_params())
    throw Error("AdamW: expected " + std::to_string(num_params()) + " parameters and gradients, got " +
                std::to_string(params.size()) + " and " + std::to_string(grads.size()));
  ++steps_;
  // Scalars are computed in double and rounded once, as PyTorch does with Python floats.
  const double b1 = options_.beta1, b2 = options_.beta2, wd = options_.weight_decay;
  const float beta1 = static_cast<float>(b1), beta2 = static_cast<float>(b2), eps = static_cast<float>(options_.eps);
  const float one_minus_beta1 = static_cast<float>(1.0 - b1), one_minus_beta2 = static_cast<float>(1.0 - b2);
  const double bc1 = 1.0 - std::pow(b1, static_cast<double>(steps_));
  const double bc2_sqrt = std::sqrt(1.0 - std::pow(b2, static_cast<double>(steps_)));
  const float neg_step = static_cast<float>(options_.bias_correction ? -lr / bc1 : -lr);
  const float bc2_sqrt_f = static_cast<float>(bc2_sqrt);

  // Elementwise, so splitting the elements between threads gives the same bits whatever
  // the thread count. One team for all segments; `nowait` lets a thread go on to the next
  // segment without a barrier, as segments share nothing. On rubert-tiny2 the update runs
  // over 29M parameters, most of them the word embeddings, every step.
#pragma omp parallel if (tensor::worth_parallel(static_cast<long>(num_params())))
  for (const ParamSegment& s : segments_) {
    const double decay = s.decay ? wd : 0.0;
    float* p = params.data() + s.offset;
    const float* g = grads.data() + s.offset;
    float* m = exp_avg_.data() + s.offset;
    float* v = exp_avg_sq_.data() + s.offset;
    const long n = static_cast<long>(s.size);
    if (options_.bias_correction) {
      const float keep = static_cast<float>(1.0 - lr * decay);
#pragma omp for schedule(static) nowait
      for (long i = 0; i < n; ++i) {
        p[i] *= keep;
        m[i] = m[i] * beta1 + one_minus_beta1 * g[i];
        v[i] = v[i] * beta2 + one_minus_beta2 * g[i] * g[i];
        const float denom = std::sqrt(v[i]) / bc2_sqrt_f + eps;
        p[i] += neg_step * (m[i] / denom);
      }
    } else {
      const float neg_decay = static_cast<float>(-lr * decay);
#pragma omp for schedule(static) nowait
      for (long i = 0; i < n; ++i) {
        m[i] = m[i] * beta1 + one_minus_beta1 * g[i];
        v[i] = v[i] * beta2 + one_minus_beta2 * g[i] * g[i];
        p[i] += neg_step * (m[i] / (std::sqrt(v[i]) + eps));
        p[i] += neg_decay * p[i];
      }
    }
  }
}

}  // namespace bertcls::train
