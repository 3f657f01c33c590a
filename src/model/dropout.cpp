#include "model/dropout.h"

#include <cstring>
#include "tensor/threads.h"

namespace bertcls::model {

void dropout_forward(const DropoutSite& site, float* out, const float* inp, long n, long first) {
  if (site.p <= 0.0f) {
    if (out != inp) std::memcpy(out, inp, sizeof(float) * n);
    return;
  }
  float scale = 1.0f / (1.0f - site.p);
#pragma omp parallel for if (tensor::worth_parallel(n))
  for (long i = 0; i < n; i++) out[i] = site.rng.uniform(first + i) >= site.p ? inp[i] * scale : 0.0f;
}

void dropout_add_forward(const DropoutSite& site, float* out, const float* inp, const float* residual, long n) {
  const float scale = site.p > 0.0f ? 1.0f / (1.0f - site.p) : 1.0f;
#pragma omp parallel for if (tensor::worth_parallel(n))
  for (long i = 0; i < n; i++) {
    float kept = site.p <= 0.0f || site.rng.uniform(i) >= site.p ? inp[i] * scale : 0.0f;
    out[i] = kept + residual[i];
  }
}

void dropout_backward(const DropoutSite& site, float* dinp, const float* dout, long n, long first) {
  dropout_forward(site, dinp, dout, n, first);  // the same mask and scale: the op is linear
}

}  // namespace bertcls::model
