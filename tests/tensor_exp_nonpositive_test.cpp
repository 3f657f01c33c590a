// tensor::exp_nonpositive against the exact exponential (double) over [-87, 0].
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>

#include "tensor/exp_nonpositive.h"

namespace bertcls::tensor {
namespace {

// |got - exp(x)| in units of the last place of the float nearest exp(x).
double ulps(float x) {
  const double exact = std::exp(static_cast<double>(x));
  const float nearest = static_cast<float>(exact);
  const double ulp = std::nextafter(nearest, 1e30f) - nearest;
  return std::fabs(exp_nonpositive(x) - exact) / ulp;
}

TEST(ExpNonpositive, WithinOneUlpFromZeroToMinus87) {
  double worst = 0.0;
  float worst_x = 0.0f;
  // Every 97th float of the range, and every float near 0 and near each power of two's
  // boundary (where n changes), stepping by bits.
  for (uint32_t bits = std::bit_cast<uint32_t>(-0.0f); std::bit_cast<float>(bits) >= -87.0f; bits += 97) {
    const float x = std::bit_cast<float>(bits);
    if (const double u = ulps(x); u > worst) worst = u, worst_x = x;
  }
  for (int k = -125; k <= 0; k++)
    for (float x = static_cast<float>((k - 0.5) * std::log(2.0)), i = 0; i < 64; i++, x = std::nextafter(x, 0.0f))
      if (const double u = ulps(x); u > worst) worst = u, worst_x = x;
  EXPECT_LE(worst, 1.0) << "at x = " << worst_x;
  EXPECT_EQ(exp_nonpositive(0.0f), 1.0f);
  EXPECT_EQ(exp_nonpositive(-0.0f), 1.0f);
}

TEST(ExpNonpositive, BelowMinus87IsExpOfMinus87AndNanStaysNan) {
  const float floor_value = exp_nonpositive(-87.0f);
  EXPECT_GT(floor_value, 0.0f);
  EXPECT_LT(floor_value, 1.7e-38f);
  EXPECT_EQ(exp_nonpositive(-100.0f), floor_value);
  EXPECT_EQ(exp_nonpositive(-1e30f), floor_value);
  EXPECT_EQ(exp_nonpositive(-INFINITY), floor_value);
  EXPECT_TRUE(std::isnan(exp_nonpositive(NAN)));  // a broken score is not hidden
}

}  // namespace
}  // namespace bertcls::tensor
