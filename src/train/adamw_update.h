// The AdamW update of one element, written once: the dense pass, the rows a lazy step
// touches and the replay of the zero-gradient steps a row skipped all call it, so that a
// lazy run rounds exactly as a dense one. Only adamw.cpp includes it, and that file is
// compiled with -ffp-contract=off: otherwise GCC fuses some multiply-adds in the AVX2 and
// AVX-512 clones, and whether it does can differ between a vectorized loop and a scalar
// one, which would break the bit-for-bit equality of replay and dense pass.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

#include "train/adamw.h"

namespace bertcls::train {

// What every step shares, rounded to float once.
struct AdamWConstants {
  float beta1, beta2, one_minus_beta1, one_minus_beta2, eps;
  bool bias_correction;
};

inline AdamWConstants adamw_constants(const AdamWOptions& o) {
  return {static_cast<float>(o.beta1),       static_cast<float>(o.beta2),
          static_cast<float>(1.0 - o.beta1), static_cast<float>(1.0 - o.beta2),
          static_cast<float>(o.eps),         o.bias_correction};
}

// Step number `step` counts from 1; `decay` is the tensor's weight decay (0 for none).
// Computed in double and rounded once, as PyTorch does with Python floats.
inline AdamWStep adamw_step(const AdamWOptions& o, double lr, std::int64_t step, double decay) {
  const double bc1 = 1.0 - std::pow(o.beta1, static_cast<double>(step));
  const double bc2_sqrt = std::sqrt(1.0 - std::pow(o.beta2, static_cast<double>(step)));
  return {static_cast<float>(o.bias_correction ? -lr / bc1 : -lr), static_cast<float>(bc2_sqrt),
          static_cast<float>(1.0 - lr * decay), static_cast<float>(-lr * decay)};
}

// One element; a zero-gradient step passes g = +0.0f, the value zero_grad() leaves in an
// untouched row (a -0.0f would round m's -0.0f differently).
template <bool kBiasCorrection>
inline void adamw_update(float& p, float g, float& m, float& v, const AdamWConstants& c, const AdamWStep& s) {
  if constexpr (kBiasCorrection) {
    p *= s.keep;
    m = m * c.beta1 + c.one_minus_beta1 * g;
    v = v * c.beta2 + c.one_minus_beta2 * g * g;
    const float denom = std::sqrt(v) / s.bc2_sqrt + c.eps;
    p += s.neg_step * (m / denom);
  } else {
    m = m * c.beta1 + c.one_minus_beta1 * g;
    v = v * c.beta2 + c.one_minus_beta2 * g * g;
    p += s.neg_step * (m / (std::sqrt(v) + c.eps));
    p += s.neg_decay * p;
  }
}

// A zero-gradient step on an element whose moments are both +0 leaves them +0 and adds
// neg_step * (+0 / denominator) = -0 to p, which changes no p: only the decay acts. That
// holds when eps > 0 (else 0/0) and neg_step is finite with its sign bit set (-lr/bc1
// for any lr >= 0, -0 included). Most rows of a vocabulary are in this state until a
// batch first uses them, and their replay is then one multiply a step, not a square
// root and two divisions.
inline bool zero_moments_only_decay(const AdamWConstants& c, const AdamWStep& s) {
  return c.eps > 0.0f && std::isfinite(s.neg_step) && std::signbit(s.neg_step);
}

template <bool kBiasCorrection>
inline void adamw_decay(float& p, const AdamWStep& s) {
  if constexpr (kBiasCorrection) p *= s.keep;
  else p += s.neg_decay * p;
}

// n consecutive elements; inlined into its callers so that each instruction-set clone of
// them (BERTCLS_HOT) vectorizes it for its own instructions.
template <bool kBiasCorrection>
[[gnu::always_inline]] inline void adamw_update(float* p, const float* g, float* m, float* v, std::size_t n,
                                                const AdamWConstants& c, const AdamWStep& s) {
  for (std::size_t i = 0; i < n; ++i) adamw_update<kBiasCorrection>(p[i], g[i], m[i], v[i], c, s);
}

[[gnu::always_inline]] inline void adamw_update(float* p, const float* g, float* m, float* v, std::size_t n,
                                                const AdamWConstants& c, const AdamWStep& s) {
  if (c.bias_correction) adamw_update<true>(p, g, m, v, n, c, s);
  else adamw_update<false>(p, g, m, v, n, c, s);
}

}  // namespace bertcls::train
