#include "model/linear.h"

#include <cstring>

#include "tensor/gemm.h"
#include "tensor/matmul.h"
#include "tensor/threads.h"

namespace bertcls::model {

using tensor::gemm;
using tensor::Precision;
using tensor::Trans;

namespace {
// fp32 stays on OpenBLAS: oneDNN's fp32 matmul on the weights as they change every step
// measured no faster end to end (0.9x on rubert-tiny2's shapes, where each new token
// count builds new primitives; par on bert-base's), bench/README.md "Training kernels".
// bf16 runs on oneDNN, which has the kernels.
bool on_onednn(Precision p) { return p != Precision::fp32; }
}  // namespace

void linear_forward(float* out, const float* inp, const float* weight, const float* bias, int T, int IC, int OC,
                    Precision precision) {
  if (on_onednn(precision)) {
    tensor::matmul(precision, T, OC, IC, {inp, IC, Trans::no}, {weight, IC, Trans::yes}, bias, false, out, OC);
    return;
  }
  // Preloading the bias and running the GEMM with beta = 1 saves a second pass over out.
#pragma omp parallel for if (tensor::worth_parallel((long)T * OC))
  for (int t = 0; t < T; t++) std::memcpy(out + (long)t * OC, bias, sizeof(float) * OC);
  gemm(Trans::no, Trans::yes, T, OC, IC, 1.0f, inp, IC, weight, IC, 1.0f, out, OC);
}

void linear_backward(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                     const float* weight, int T, int IC, int OC, Precision precision) {
  if (on_onednn(precision)) {
    if (dinp != nullptr)
      tensor::matmul(precision, T, IC, OC, {dout, OC, Trans::no}, {weight, IC, Trans::no}, nullptr, false, dinp, IC);
    tensor::matmul(precision, OC, IC, T, {dout, OC, Trans::yes}, {inp, IC, Trans::no}, nullptr, true, dweight, IC);
  } else {
    if (dinp != nullptr) gemm(Trans::no, Trans::no, T, IC, OC, 1.0f, dout, OC, weight, IC, 0.0f, dinp, IC);
    gemm(Trans::yes, Trans::no, OC, IC, T, 1.0f, dout, OC, inp, IC, 1.0f, dweight, IC);
  }
  // Column sums in blocks of 64 outputs: each thread owns its block and reads dout row by
  // row, contiguously (a column at a time strides T times through memory).
  constexpr int kBlock = 64;
#pragma omp parallel for if (tensor::worth_parallel((long)T * OC))
  for (int o0 = 0; o0 < OC; o0 += kBlock) {
    const int o1 = o0 + kBlock < OC ? o0 + kBlock : OC;
    float sum[kBlock] = {};
    for (int t = 0; t < T; t++) {
      const float* row = dout + (long)t * OC;
      for (int o = o0; o < o1; o++) sum[o - o0] += row[o];
    }
    for (int o = o0; o < o1; o++) dbias[o] += sum[o - o0];
  }
}

}  // namespace bertcls::model
