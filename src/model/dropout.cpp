#include "model/dropout.h"

#include <cstring>

#include "tensor/cpu_features.h"
#include "tensor/threads.h"

namespace bertcls::model {

// The mask vectorizes with AVX-512 only (its 64-bit multiplies want AVX-512DQ's vpmullq,
// the select masked loads): the baseline build's scalar loop took 5x the CPU time of the
// -march=native one in a finetune_bench profile.
BERTCLS_HOT void dropout_forward(const DropoutSite& site, float* out, const float* inp, long n, long first) {
  if (site.p <= 0.0f) {
    if (out != inp) std::memcpy(out, inp, sizeof(float) * n);
    return;
  }
  float scale = 1.0f / (1.0f - site.p);
#pragma omp parallel for if (tensor::worth_parallel(n))
  for (long i = 0; i < n; i++) out[i] = site.rng.uniform(site.origin + first + i) >= site.p ? inp[i] * scale : 0.0f;
}

// Two loops, not one testing p per element: that test kept the loop scalar on every
// instruction set. In eval (p = 0) the plain sum equals the old inp * 1 + residual.
BERTCLS_HOT void dropout_add_forward(const DropoutSite& site, float* out, const float* inp, const float* residual,
                                     long n) {
  if (site.p <= 0.0f) {
#pragma omp parallel for if (tensor::worth_parallel(n))
    for (long i = 0; i < n; i++) out[i] = inp[i] + residual[i];
    return;
  }
  const float scale = 1.0f / (1.0f - site.p);
#pragma omp parallel for if (tensor::worth_parallel(n))
  for (long i = 0; i < n; i++) out[i] = (site.rng.uniform(site.origin + i) >= site.p ? inp[i] * scale : 0.0f) + residual[i];
}

void dropout_backward(const DropoutSite& site, float* dinp, const float* dout, long n, long first) {
  dropout_forward(site, dinp, dout, n, first);  // the same mask and scale: the op is linear
}

}  // namespace bertcls::model
