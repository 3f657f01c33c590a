#include "model/activation.h"

#include <algorithm>
#include <cmath>

#include "tensor/cpu_features.h"
#include "tensor/threads.h"

namespace bertcls::model {
namespace {

constexpr float kInvSqrt2 = 0.70710678118654752f;
constexpr float kInvSqrt2Pi = 0.39894228040143268f;
constexpr float kSqrt2OverPi = 0.79788456080286536f;

// erf as a rational function (Eigen's generic_fast_erf_float): odd polynomial over even
// polynomial in x, clamped to [-4, 4] where erf is +-1 in float; NaN stays NaN. Max
// error 4.2e-7 against erf in double (libm's erff: about 1e-8), for a fraction of libm's
// cost: erff was 16% of a rubert-tiny2 inference's CPU time. PyTorch's vectorized CPU
// GELU also uses a polynomial erf of this accuracy.
float erf_rational(float a) {
  const float x = std::min(std::max(a, -4.0f), 4.0f), x2 = x * x;
  float p = x2 * -2.72614225801306e-10f + 2.77068142495902e-08f;
  p = x2 * p + -2.10102402082508e-06f;
  p = x2 * p + -5.69250639462346e-05f;
  p = x2 * p + -7.34990630326855e-04f;
  p = x2 * p + -2.95459980854025e-03f;
  p = x2 * p + -1.60960333262415e-02f;
  float q = x2 * -1.45660718464996e-05f + -2.13374055278905e-04f;
  q = x2 * q + -1.68282697438203e-03f;
  q = x2 * q + -7.37332916720468e-03f;
  q = x2 * q + -1.42647390514189e-02f;
  return x * p / q;
}

// HF "gelu": the erf form, as torch.nn.functional.gelu.
float gelu(float x) { return 0.5f * x * (1.0f + erf_rational(x * kInvSqrt2)); }
float gelu_grad(float x) {
  return 0.5f * (1.0f + erf_rational(x * kInvSqrt2)) + x * kInvSqrt2Pi * std::exp(-0.5f * x * x);
}

// HF "gelu_new" / "gelu_pytorch_tanh": the tanh approximation.
float gelu_tanh(float x) {
  float u = kSqrt2OverPi * (x + 0.044715f * x * x * x);
  return 0.5f * x * (1.0f + std::tanh(u));
}
float gelu_tanh_grad(float x) {
  float u = kSqrt2OverPi * (x + 0.044715f * x * x * x);
  float th = std::tanh(u);
  float du = kSqrt2OverPi * (1.0f + 3.0f * 0.044715f * x * x);
  return 0.5f * (1.0f + th) + 0.5f * x * (1.0f - th * th) * du;
}

float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

// GELU is the intermediate activation of nearly every BERT checkpoint, so its two passes
// are the ones compiled per instruction set; the loop and gelu() must sit in the marked
// function for the clone to cover them (tensor/cpu_features.h). The forward vectorizes
// for AVX2 and baseline only with this file's -fno-trapping-math (CMakeLists.txt).
BERTCLS_HOT void gelu_forward(float* out, const float* inp, long n) {
#pragma omp parallel for simd if (tensor::worth_parallel(n))
  for (long i = 0; i < n; i++) out[i] = gelu(inp[i]);
}

BERTCLS_HOT void gelu_backward(float* dinp, const float* dout, const float* inp, long n) {
#pragma omp parallel for simd if (tensor::worth_parallel(n))
  for (long i = 0; i < n; i++) dinp[i] = dout[i] * gelu_grad(inp[i]);
}

template <typename F>
void map(float* out, const float* inp, long n, F f) {
#pragma omp parallel for simd if (tensor::worth_parallel(n))
  for (long i = 0; i < n; i++) out[i] = f(inp[i]);
}

template <typename F>
void map_grad(float* dinp, const float* dout, const float* inp, long n, F fprime) {
#pragma omp parallel for simd if (tensor::worth_parallel(n))
  for (long i = 0; i < n; i++) dinp[i] = dout[i] * fprime(inp[i]);
}

}  // namespace

void activation_forward(Activation f, float* out, const float* inp, long n) {
  switch (f) {
    case Activation::gelu: return gelu_forward(out, inp, n);
    case Activation::gelu_tanh: return map(out, inp, n, gelu_tanh);
    case Activation::relu: return map(out, inp, n, [](float x) { return x > 0.0f ? x : 0.0f; });
    case Activation::silu: return map(out, inp, n, [](float x) { return x * sigmoid(x); });
    case Activation::tanh: return map(out, inp, n, [](float x) { return std::tanh(x); });
  }
}

void activation_backward(Activation f, float* dinp, const float* dout, const float* inp, long n) {
  switch (f) {
    case Activation::gelu: return gelu_backward(dinp, dout, inp, n);
    case Activation::gelu_tanh: return map_grad(dinp, dout, inp, n, gelu_tanh_grad);
    case Activation::relu: return map_grad(dinp, dout, inp, n, [](float x) { return x > 0.0f ? 1.0f : 0.0f; });
    case Activation::silu:
      return map_grad(dinp, dout, inp, n, [](float x) {
        float s = sigmoid(x);
        return s * (1.0f + x * (1.0f - s));
      });
    case Activation::tanh:
      // 1 - tanh^2 from the input: the same float as from the forward's output.
      return map_grad(dinp, dout, inp, n, [](float x) {
        const float y = std::tanh(x);
        return 1.0f - y * y;
      });
  }
}

}  // namespace bertcls::model
