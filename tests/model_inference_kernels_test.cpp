// Inference-only kernels against plain reference loops in double: the fused attention
// (all rows and first rows only) and residual + LayerNorm, at odd sizes, one row, and
// lengths that leave tails of the kernels' row blocks; PackedLinear::build's warm-up.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include <bertcls/error.h>
#include "model/attention.h"
#include "model/residual_layernorm.h"
#include "tensor/packed_linear.h"

namespace bertcls::model {
namespace {

std::vector<float> random_floats(size_t n, unsigned seed, float scale = 1.0f) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, scale);
  std::vector<float> v(n);
  for (float& x : v) x = normal(rng);
  return v;
}

struct Packed {
  std::vector<int32_t> offsets{0};
  std::vector<int64_t> score_offsets{0};
  Packed(const std::vector<int>& lengths, int NH) {
    for (int L : lengths) {
      offsets.push_back(offsets.back() + L);
      score_offsets.push_back(score_offsets.back() + (int64_t)NH * L * L);
    }
  }
  Packing packing() const { return {offsets.data(), score_offsets.data(), (int)offsets.size() - 1}; }
};

// softmax(q k^T / sqrt(HS)) v for query row i of sequence b, head h, in double.
std::vector<double> reference_row(const float* qkv, const Packing& p, int NH, int HS, int b, int h, int i) {
  const int C = NH * HS, C3 = 3 * C, L = p.length(b);
  const float* base = qkv + (long)p.offsets[b] * C3 + h * HS;
  std::vector<double> s(L), out(HS, 0.0);
  double mx = -1e300, sum = 0.0;
  for (int j = 0; j < L; j++) {
    double dot = 0.0;
    for (int d = 0; d < HS; d++) dot += (double)base[(long)i * C3 + d] * base[(long)j * C3 + C + d];
    s[j] = dot / std::sqrt((double)HS);
    mx = std::max(mx, s[j]);
  }
  for (int j = 0; j < L; j++) sum += (s[j] = std::exp(s[j] - mx));
  for (int j = 0; j < L; j++)
    for (int d = 0; d < HS; d++) out[d] += s[j] / sum * base[(long)j * C3 + 2 * C + d];
  return out;
}

void expect_attention(const std::vector<int>& lengths, int NH, int HS) {
  const Packed packed(lengths, NH);
  const Packing p = packed.packing();
  const int C = NH * HS, T = p.T(), B = p.B;
  const std::vector<float> qkv = random_floats((size_t)T * 3 * C, 11 + T, 1.5f);
  std::vector<float> ctx((size_t)T * C, NAN), first((size_t)B * C, NAN);
  attention_inference_forward(ctx.data(), qkv.data(), p, NH, HS, false);
  attention_inference_forward(first.data(), qkv.data(), p, NH, HS, true);
  double worst = 0.0;
  for (int b = 0; b < B; b++)
    for (int h = 0; h < NH; h++)
      for (int i = 0; i < p.length(b); i++) {
        const std::vector<double> want = reference_row(qkv.data(), p, NH, HS, b, h, i);
        for (int d = 0; d < HS; d++) {
          worst = std::max(worst, std::fabs(ctx[(size_t)(p.offsets[b] + i) * C + h * HS + d] - want[d]));
          if (i == 0) worst = std::max(worst, std::fabs(first[(size_t)b * C + h * HS + d] - want[d]));
        }
      }
  // Float sums of HS products: the error grows with HS, about 1e-7 per unit of |score|.
  EXPECT_LE(worst, 1e-5) << "NH " << NH << " HS " << HS;
  // The training path (scores kept, BLAS products) computes the same function.
  std::vector<float> att(packed.score_offsets.back()), trained((size_t)T * C);
  attention_forward(trained.data(), att.data(), nullptr, qkv.data(), p, NH, HS, DropoutSite{});
  for (size_t i = 0; i < ctx.size(); i++) ASSERT_NEAR(ctx[i], trained[i], 1e-5) << i;
}

TEST(AttentionInference, OneTokenOneHead) { expect_attention({1}, 1, 1); }
TEST(AttentionInference, OddHeadSizesAndRowTails) { expect_attention({1, 7, 33, 70}, 3, 5); }
TEST(AttentionInference, ManySequencesBertHeads) { expect_attention({5, 64, 65, 2, 31}, 12, 64); }
TEST(AttentionInference, OneLongText) { expect_attention({129}, 2, 13); }

void expect_residual_layernorm(int T, int C, int alias) {
  const std::vector<float> a = random_floats((size_t)T * C, 3, 2.0f), r = random_floats((size_t)T * C, 4),
                           w = random_floats(C, 5), bias = random_floats(C, 6);
  std::vector<float> inp = a, res = r, out((size_t)T * C, NAN);
  float* dst = alias == 1 ? inp.data() : alias == 2 ? res.data() : out.data();
  residual_layernorm_forward(dst, inp.data(), res.data(), w.data(), bias.data(), T, C, 1e-12f);
  for (int t = 0; t < T; t++) {
    double m = 0.0, var = 0.0;
    for (int c = 0; c < C; c++) m += (double)a[(size_t)t * C + c] + r[(size_t)t * C + c];
    m /= C;
    for (int c = 0; c < C; c++) {
      const double x = (double)a[(size_t)t * C + c] + r[(size_t)t * C + c] - m;
      var += x * x;
    }
    const double rstd = 1.0 / std::sqrt(var / C + 1e-12);
    for (int c = 0; c < C; c++) {
      const double want = ((double)a[(size_t)t * C + c] + r[(size_t)t * C + c] - m) * rstd * w[c] + bias[c];
      ASSERT_NEAR(dst[(size_t)t * C + c], want, 1e-5 * (1.0 + std::fabs(want))) << "T " << T << " C " << C;
    }
  }
}

TEST(ResidualLayerNorm, OneRow) { expect_residual_layernorm(1, 768, 0); }
TEST(ResidualLayerNorm, OddWidths) {
  for (int C : {1, 7, 17, 769}) expect_residual_layernorm(5, C, 0);
}
TEST(ResidualLayerNorm, InPlace) {
  expect_residual_layernorm(3, 33, 1);
  expect_residual_layernorm(3, 33, 2);
}
TEST(ResidualLayerNorm, ManyRowsInParallel) { expect_residual_layernorm(300, 312, 0); }

TEST(PackedLinearWarmUp, BuildsEveryChunkSizeAndRefusesOthers) {
  const int IC = 9, OC = 5, rows = tensor::PackedLinear::chunk_rows() + 3;
  const std::vector<float> w = random_floats((size_t)OC * IC, 1), b = random_floats(OC, 2), x = random_floats((size_t)rows * IC, 3);
  const tensor::PackedLinear cold(w.data(), b.data(), IC, OC, tensor::Precision::fp32);
  const tensor::PackedLinear warm(w.data(), b.data(), IC, OC, tensor::Precision::fp32);
  for (int m = 1; m <= tensor::PackedLinear::chunk_rows(); m++) warm.build(m);
  EXPECT_THROW(warm.build(0), Error);
  EXPECT_THROW(warm.build(tensor::PackedLinear::chunk_rows() + 1), Error);
  std::vector<float> a((size_t)rows * OC), c((size_t)rows * OC);
  cold.forward(a.data(), x.data(), rows);
  warm.forward(c.data(), x.data(), rows);
  EXPECT_EQ(a, c);
}

}  // namespace
}  // namespace bertcls::model
