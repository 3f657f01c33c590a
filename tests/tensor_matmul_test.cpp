// Training's oneDNN products (tensor/matmul.h) against plain loops in double, in the three
// forms a dense layer's step takes (x W^T + b, dY W, dW += dY^T X) and odd sizes: fp32
// within float rounding, bf16 within the bound its operand rounding allows (and not
// fp32 in disguise); the same inputs give the same bits twice.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "support/io_test_support.h"
#include "support/random_vector.h"
#include "tensor/matmul.h"

namespace bertcls::tensor {
namespace {

using test::random_vector;

struct Case {
  Trans ta, tb;
  int m, n, k;
  bool bias, accumulate;
};

// The forms of model/linear.cpp, at odd sizes and M = 1.
constexpr Case kCases[] = {
    {Trans::no, Trans::yes, 37, 53, 29, true, false},   // forward: x W^T + b
    {Trans::no, Trans::yes, 1, 19, 64, true, false},    // one row
    {Trans::no, Trans::no, 41, 29, 53, false, false},   // input gradient: dY W
    {Trans::yes, Trans::no, 53, 29, 41, false, true},   // weight gradient: dW += dY^T X
    {Trans::yes, Trans::no, 17, 33, 1, false, true},    // one token
};

struct Operands {
  std::vector<float> a, b, bias, c;
  Operands(const Case& s, uint32_t seed)
      : a(random_vector((size_t)s.m * s.k, seed)),
        b(random_vector((size_t)s.k * s.n, seed + 1)),
        bias(random_vector(s.n, seed + 2)),
        c(random_vector((size_t)s.m * s.n, seed + 3)) {}
  // op(X)[r][col] of X stored row-major as op's shape demands.
  static float at(const std::vector<float>& x, Trans t, int rows, int cols, int r, int col) {
    return t == Trans::no ? x[(size_t)r * cols + col] : x[(size_t)col * rows + r];
  }
};

// The product in double, and the sum of |terms| per entry (the scale rounding errors have).
void reference(const Case& s, const Operands& o, std::vector<double>& want, std::vector<double>& magnitude) {
  want.assign((size_t)s.m * s.n, 0.0);
  magnitude.assign(want.size(), 0.0);
  for (int i = 0; i < s.m; i++)
    for (int j = 0; j < s.n; j++) {
      double sum = (s.accumulate ? o.c[(size_t)i * s.n + j] : 0.0) + (s.bias ? o.bias[j] : 0.0), mag = 0.0;
      for (int p = 0; p < s.k; p++) {
        const double term = (double)Operands::at(o.a, s.ta, s.m, s.k, i, p) * Operands::at(o.b, s.tb, s.k, s.n, p, j);
        sum += term;
        mag += std::fabs(term);
      }
      want[(size_t)i * s.n + j] = sum;
      magnitude[(size_t)i * s.n + j] = mag;
    }
}

std::vector<float> run(Precision precision, const Case& s, const Operands& o) {
  std::vector<float> c = o.c;
  const int lda = s.ta == Trans::no ? s.k : s.m, ldb = s.tb == Trans::no ? s.n : s.k;
  matmul(precision, s.m, s.n, s.k, {o.a.data(), lda, s.ta}, {o.b.data(), ldb, s.tb}, s.bias ? o.bias.data() : nullptr,
         s.accumulate, c.data(), s.n);
  return c;
}

TEST(TensorMatmul, Fp32MatchesPlainLoopsInEveryForm) {
  for (const Case& s : kCases) {
    const Operands o(s, 10 + s.m);
    std::vector<double> want, magnitude;
    reference(s, o, want, magnitude);
    const std::vector<float> got = run(Precision::fp32, s, o);
    for (size_t i = 0; i < got.size(); i++)
      ASSERT_NEAR(got[i], want[i], 1e-5 * (1.0 + magnitude[i])) << "m,n,k " << s.m << "," << s.n << "," << s.k;
    EXPECT_EQ(std::memcmp(got.data(), run(Precision::fp32, s, o).data(), sizeof(float) * got.size()), 0)
        << "not deterministic";
  }
}

TEST(TensorMatmul, Bf16RoundsOperandsAndSumsInFp32) {
  if (const std::string missing = bf16_missing_feature(); !missing.empty()) GTEST_SKIP() << "bf16 needs " << missing;
  for (const Case& s : kCases) {
    const Operands o(s, 20 + s.m);
    std::vector<double> want, magnitude;
    reference(s, o, want, magnitude);
    const std::vector<float> got = run(Precision::bf16, s, o);
    double worst = 0.0;
    for (size_t i = 0; i < got.size(); i++) {
      // bf16 keeps 8 significant bits: each operand rounds by at most 2^-8 relative, a
      // term by about 2^-7, the sum by that times the terms' magnitudes, plus fp32 sums.
      ASSERT_NEAR(got[i], want[i], 1.01 * std::ldexp(1.0, -7) * magnitude[i] + 1e-5 * (1.0 + std::fabs(want[i])));
      worst = std::max(worst, std::fabs(got[i] - want[i]));
    }
    EXPECT_GT(worst, 1e-5) << "bf16 gave fp32's products";
    EXPECT_EQ(std::memcmp(got.data(), run(Precision::bf16, s, o).data(), sizeof(float) * got.size()), 0)
        << "not deterministic";
  }
}

TEST(TensorMatmul, AnEmptySumLeavesTheBiasOrTheOldValues) {
  std::vector<float> c{1.0f, 2.0f, 3.0f, 4.0f};
  const float bias[] = {10.0f, 20.0f};
  matmul(Precision::fp32, 2, 2, 0, {nullptr, 0, Trans::no}, {nullptr, 2, Trans::no}, nullptr, true, c.data(), 2);
  EXPECT_EQ(c, (std::vector<float>{1.0f, 2.0f, 3.0f, 4.0f}));
  matmul(Precision::fp32, 2, 2, 0, {nullptr, 0, Trans::no}, {nullptr, 2, Trans::no}, bias, false, c.data(), 2);
  EXPECT_EQ(c, (std::vector<float>{10.0f, 20.0f, 10.0f, 20.0f}));
}

TEST(TensorMatmul, RequirePrecisionRefusesInt8AndBf16WithoutTheCpu) {
  EXPECT_NO_THROW(require_precision(Precision::fp32, "x"));
  test::expect_error([] { require_precision(Precision::int8, "bf16 training (--precision bf16)"); }, {"int8", "inference"});
  const std::string missing = bf16_missing_feature();
  if (missing.empty()) {
    EXPECT_NO_THROW(require_precision(Precision::bf16, "x"));
  } else {
    test::expect_error([] { require_precision(Precision::bf16, "bf16 training (--precision bf16)"); },
                       {"bf16 training (--precision bf16) needs a CPU with", missing});
  }
}

}  // namespace
}  // namespace bertcls::tensor
