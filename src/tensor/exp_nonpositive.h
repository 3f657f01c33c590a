// exp(x) for x <= 0, as a softmax needs it after subtracting the row's maximum, in a form
// GCC vectorizes (a call to std::exp keeps a loop scalar without -ffast-math): 2^n by
// building the float's exponent bits, and Cephes' expf polynomial on the remainder.
// Within 1 ulp of the exact value for x in [-87, 0]; below -87 (where exp is under
// 1.7e-38, nothing next to a softmax's largest term, 1) it returns exp(-87). NaN stays NaN.
#pragma once

#include <bit>

namespace bertcls::tensor {

inline float exp_nonpositive(float x) {
  x = x < -87.0f ? -87.0f : x;
  // n = round(x / ln 2): adding 1.5 * 2^23 leaves it in the low mantissa bits. No
  // float -> int conversion, which would be undefined for a NaN (that passes through r).
  constexpr float kRound = 12582912.0f;
  const float shifted = x * 1.44269504f + kRound;
  const int n = std::bit_cast<int>(shifted) - std::bit_cast<int>(kRound);
  const float fn = shifted - kRound;
  // r = x - n ln 2, with ln 2 in two parts so the first product is exact.
  const float r = (x - fn * 0.693359375f) + fn * 2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  return p * std::bit_cast<float>((n + 127) << 23);  // n >= -126: a normal power of two
}

}  // namespace bertcls::tensor
