// Every op's backward against central finite differences of its forward, on small shapes.
// Each check perturbs one input element at a time and compares
// d/dx sum_i w_i * out_i (computed in double from the float forward) with the backward
// given dout = w. Tolerances are relative to the largest analytic gradient of the tensor.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>
#include <vector>

#include "model/activation.h"
#include "model/attention.h"
#include "model/classification_loss.h"
#include "model/dropout.h"
#include "model/embedding.h"
#include "model/layernorm.h"
#include "model/linear.h"
#include "support/random_vector.h"

namespace bertcls::model {
namespace {

using test::random_vector;

double weighted_sum(const std::vector<float>& out, const std::vector<float>& w) {
  double s = 0.0;
  for (size_t i = 0; i < out.size(); i++) s += static_cast<double>(out[i]) * w[i];
  return s;
}

// Compares analytic[i] with (loss(x + e_i eps) - loss(x - e_i eps)) / (2 eps) for every i.
void expect_finite_differences(const char* what, std::vector<float>& x, const std::vector<float>& analytic,
                               const std::function<double()>& loss, float eps = 1e-2f, double tol = 2e-3) {
  ASSERT_EQ(x.size(), analytic.size()) << what;
  double scale = 1e-6;
  for (float g : analytic) scale = std::max(scale, static_cast<double>(std::fabs(g)));
  double worst = 0.0;
  for (size_t i = 0; i < x.size(); i++) {
    const float saved = x[i];
    const float up = saved + eps, down = saved - eps;
    x[i] = up;
    const double lp = loss();
    x[i] = down;
    const double lm = loss();
    x[i] = saved;
    const double numeric = (lp - lm) / (static_cast<double>(up) - down);
    worst = std::max(worst, std::fabs(numeric - analytic[i]) / scale);
  }
  EXPECT_LE(worst, tol) << what << ": largest deviation relative to the largest gradient";
}

TEST(LayerNormBackward, MatchesFiniteDifferences) {
  const int T = 3, C = 7;
  auto inp = random_vector(T * C, 1), weight = random_vector(C, 2), bias = random_vector(C, 3);
  auto w = random_vector(T * C, 4);
  std::vector<float> out(T * C), mean(T), rstd(T), dinp(T * C), dweight(C, 0.0f), dbias(C, 0.0f);
  auto loss = [&] {
    layernorm_forward(out.data(), mean.data(), rstd.data(), inp.data(), weight.data(), bias.data(), T, C, 1e-5f);
    return weighted_sum(out, w);
  };
  loss();
  layernorm_backward(dinp.data(), dweight.data(), dbias.data(), w.data(), inp.data(), weight.data(), mean.data(),
                     rstd.data(), T, C);
  expect_finite_differences("dinp", inp, dinp, loss);
  expect_finite_differences("dweight", weight, dweight, loss);
  expect_finite_differences("dbias", bias, dbias, loss);
}

TEST(LinearBackward, MatchesFiniteDifferencesAndAccumulatesParameterGradients) {
  const int T = 4, IC = 5, OC = 3;
  auto inp = random_vector(T * IC, 5), weight = random_vector(OC * IC, 6), bias = random_vector(OC, 7);
  auto w = random_vector(T * OC, 8);
  std::vector<float> out(T * OC), dinp(T * IC), dweight(OC * IC, 0.0f), dbias(OC, 0.0f);
  auto loss = [&] {
    linear_forward(out.data(), inp.data(), weight.data(), bias.data(), T, IC, OC);
    return weighted_sum(out, w);
  };
  loss();
  linear_backward(dinp.data(), dweight.data(), dbias.data(), w.data(), inp.data(), weight.data(), T, IC, OC);
  expect_finite_differences("dinp", inp, dinp, loss);
  expect_finite_differences("dweight", weight, dweight, loss);
  expect_finite_differences("dbias", bias, dbias, loss);
  // A second backward adds to the parameter gradients, as torch's .grad does.
  std::vector<float> dweight2 = dweight;
  linear_backward(nullptr, dweight2.data(), dbias.data(), w.data(), inp.data(), weight.data(), T, IC, OC);
  for (int i = 0; i < OC * IC; i++) EXPECT_FLOAT_EQ(dweight2[i], 2.0f * dweight[i]);
}

TEST(ActivationBackward, MatchesFiniteDifferencesForEveryHiddenActAndTanh) {
  const int n = 41;
  for (Activation f : {Activation::gelu, Activation::gelu_tanh, Activation::relu, Activation::silu, Activation::tanh}) {
    auto inp = random_vector(n, 9, 2.0f), w = random_vector(n, 10);
    // Keep ReLU's kink out of reach of the finite-difference step.
    for (float& x : inp)
      if (std::fabs(x) < 0.05f) x = 0.5f;
    std::vector<float> out(n), dinp(n);
    auto loss = [&] {
      activation_forward(f, out.data(), inp.data(), n);
      return weighted_sum(out, w);
    };
    activation_backward(f, dinp.data(), w.data(), inp.data(), n);
    expect_finite_differences("activation", inp, dinp, loss, 1e-3f, 5e-4);
  }
}

TEST(Dropout, KeepsAboutOneMinusPScalesAndReproducesFromItsSeed) {
  const long n = 20000;
  std::vector<float> ones(n, 1.0f), a(n), b(n), c(n);
  DropoutSite site{0.25f, tensor::CounterRng(42, 7)};
  dropout_forward(site, a.data(), ones.data(), n);
  dropout_forward(site, b.data(), ones.data(), n);
  dropout_forward({0.25f, tensor::CounterRng(43, 7)}, c.data(), ones.data(), n);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  long kept = std::count(a.begin(), a.end(), 1.0f / 0.75f);
  EXPECT_EQ(kept + std::count(a.begin(), a.end(), 0.0f), n);
  EXPECT_NEAR(static_cast<double>(kept) / n, 0.75, 0.01);
  // Backward applies the same mask; dropout_add_forward is dropout plus the residual.
  std::vector<float> grad(n);
  dropout_backward(site, grad.data(), ones.data(), n);
  EXPECT_EQ(grad, a);
  std::vector<float> res(n, 2.0f), added(n);
  dropout_add_forward(site, added.data(), ones.data(), res.data(), n);
  for (long i = 0; i < n; i++) ASSERT_FLOAT_EQ(added[i], a[i] + 2.0f);
  // p = 0 (eval) is the identity.
  dropout_forward({0.0f, tensor::CounterRng(42, 7)}, c.data(), ones.data(), n);
  EXPECT_EQ(c, ones);
}

TEST(AttentionBackward, MatchesFiniteDifferencesOverPackedSequencesWithDropout) {
  const int NH = 2, HS = 3, C = NH * HS;
  const std::vector<int32_t> offsets = {0, 3, 8, 9};  // lengths 3, 5, 1
  std::vector<int64_t> score_offsets = {0};
  for (size_t b = 0; b + 1 < offsets.size(); b++) {
    int64_t L = offsets[b + 1] - offsets[b];
    score_offsets.push_back(score_offsets.back() + NH * L * L);
  }
  const Packing pack{offsets.data(), score_offsets.data(), 3};
  const int T = pack.T();
  const long S = score_offsets.back();
  auto qkv = random_vector(T * 3 * C, 13), w = random_vector(T * C, 14);
  for (float p : {0.0f, 0.3f}) {
    // A fixed dropout mask makes the op a fixed function of qkv, so differences apply.
    const DropoutSite site{p, tensor::CounterRng(5, 1)};
    std::vector<float> ctx(T * C), att(S), attd(S), datt(S), dqkv(T * 3 * C);
    auto loss = [&] {
      attention_forward(ctx.data(), att.data(), attd.data(), qkv.data(), pack, NH, HS, site);
      return weighted_sum(ctx, w);
    };
    loss();
    attention_backward(dqkv.data(), datt.data(), w.data(), qkv.data(), att.data(), pack, NH, HS, site);
    expect_finite_differences("dqkv", qkv, dqkv, loss);
  }
}

TEST(AttentionForward, EachSequenceIgnoresTheOthers) {
  // The packed batch gives sequence 1 the same context as running it alone.
  const int NH = 2, HS = 4, C = NH * HS;
  auto qkv = random_vector(7 * 3 * C, 15);
  const std::vector<int32_t> both = {0, 3, 7}, alone = {0, 4};
  const std::vector<int64_t> both_scores = {0, NH * 9, NH * 9 + NH * 16}, alone_scores = {0, NH * 16};
  std::vector<float> ctx(7 * C), att(both_scores.back()), ctx1(4 * C), att1(alone_scores.back());
  const DropoutSite off{};
  attention_forward(ctx.data(), att.data(), att.data(), qkv.data(), {both.data(), both_scores.data(), 2}, NH, HS, off);
  attention_forward(ctx1.data(), att1.data(), att1.data(), qkv.data() + 3 * 3 * C, {alone.data(), alone_scores.data(), 1},
                    NH, HS, off);
  for (int i = 0; i < 4 * C; i++) EXPECT_FLOAT_EQ(ctx[3 * C + i], ctx1[i]);
}

TEST(EmbeddingBackward, MatchesFiniteDifferencesAndSkipsThePaddingRow) {
  const int V = 6, P = 7, TV = 2, C = 3, pad = 0, position_offset = 2;  // positions as RoBERTa counts them
  const std::vector<int32_t> offsets = {0, 4, 7}, ids = {2, 5, 0, 2, 1, 3, 3}, types = {0, 0, 1, 1, 0, 1, 1};
  const std::vector<int64_t> unused = {0, 0, 0};
  const Packing pack{offsets.data(), unused.data(), 2};
  auto wte = random_vector(V * C, 16), wpe = random_vector(P * C, 17), wtt = random_vector(TV * C, 18);
  auto w = random_vector(7 * C, 19);
  std::vector<float> out(7 * C), dwte(V * C, 0.0f), dwpe(P * C, 0.0f), dwtt(TV * C, 0.0f);
  auto loss = [&] {
    embedding_forward(out.data(), ids.data(), types.data(), pack, wte.data(), wpe.data(), wtt.data(), C, position_offset);
    return weighted_sum(out, w);
  };
  embedding_backward(dwte.data(), dwpe.data(), dwtt.data(), w.data(), ids.data(), types.data(), pack, C, pad,
                     position_offset);
  expect_finite_differences("dwpe", wpe, dwpe, loss);
  expect_finite_differences("dwtt", wtt, dwtt, loss);
  // Word rows other than the pad's follow the forward; the pad's row gets zero (padding_idx).
  std::vector<float> numeric_rows(wte.begin() + C, wte.end()), analytic_rows(dwte.begin() + C, dwte.end());
  auto loss_rows = [&] {
    std::copy(numeric_rows.begin(), numeric_rows.end(), wte.begin() + C);
    return loss();
  };
  expect_finite_differences("dwte", numeric_rows, analytic_rows, loss_rows);
  for (int c = 0; c < C; c++) EXPECT_EQ(dwte[pad * C + c], 0.0f);
  // Positions below the offset are never used.
  for (int i = 0; i < position_offset * C; i++) EXPECT_EQ(dwpe[i], 0.0f);
}

TEST(EmbeddingForward, WithoutTokenTypesAddsWordAndPosition) {
  const int C = 2;
  const std::vector<int32_t> offsets = {0, 2}, ids = {1, 0}, types = {1, 1};
  const std::vector<int64_t> unused = {0};
  const std::vector<float> wte = {1, 2, 10, 20}, wpe = {100, 200, 1000, 2000};
  std::vector<float> out(2 * C);
  embedding_forward(out.data(), ids.data(), types.data(), {offsets.data(), unused.data(), 1}, wte.data(), wpe.data(),
                    nullptr, C, 0);
  EXPECT_EQ(out, (std::vector<float>{110, 220, 1001, 2002}));
}

TEST(ClassificationLosses, GradientsMatchFiniteDifferences) {
  const int B = 3, K = 4;
  auto logits = random_vector(B * K, 20, 2.0f);
  const std::vector<int32_t> labels = {1, 3, 1};
  const std::vector<float> weights = {0.5f, 2.0f, 1.0f, 3.0f};
  std::vector<float> targets = {1, 0, 0.25f, 1, 0, 0, 1, 0.5f, 1, 1, 0, 0};
  std::vector<float> grad(B * K);
  auto check = [&](const char* what, const std::function<float(float*)>& f) {
    f(grad.data());
    expect_finite_differences(what, logits, grad, [&] { return static_cast<double>(f(nullptr)); });
  };
  check("cross entropy", [&](float* d) { return cross_entropy_loss(d, logits.data(), labels.data(), nullptr, B, K); });
  check("weighted cross entropy",
        [&](float* d) { return cross_entropy_loss(d, logits.data(), labels.data(), weights.data(), B, K); });
  check("bce", [&](float* d) { return bce_with_logits_loss(d, logits.data(), targets.data(), B, K); });
  check("mse", [&](float* d) { return mse_loss(d, logits.data(), targets.data(), B, K); });
}

TEST(ClassificationLosses, WeightedCrossEntropyIsTorchsWeightedMean) {
  // Two samples, uniform logits: each nll is log(2); the weighted mean is log(2) too,
  // while a plain mean of weighted terms would be (0.5 + 3) / 2 * log(2).
  const std::vector<float> logits = {0, 0, 0, 0}, weights = {0.5f, 3.0f};
  const std::vector<int32_t> labels = {0, 1};
  EXPECT_NEAR(cross_entropy_loss(nullptr, logits.data(), labels.data(), weights.data(), 2, 2), std::log(2.0), 1e-6);
}

TEST(ProblemType, IsInferredAsHuggingFaceInfersIt) {
  EXPECT_EQ(infer_problem_type(1, true), ProblemType::regression);
  EXPECT_EQ(infer_problem_type(1, false), ProblemType::regression);
  EXPECT_EQ(infer_problem_type(3, true), ProblemType::single_label_classification);
  EXPECT_EQ(infer_problem_type(3, false), ProblemType::multi_label_classification);
}

}  // namespace
}  // namespace bertcls::model
