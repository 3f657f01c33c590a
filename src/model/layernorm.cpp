#include "model/layernorm.h"

#include <cmath>

#include "tensor/cpu_features.h"
#include "tensor/threads.h"

namespace bertcls::model {

BERTCLS_HOT void layernorm_forward(float* out, float* mean, float* rstd, const float* inp, const float* weight,
                                   const float* bias, int T, int C, float eps) {
#pragma omp parallel for if (tensor::worth_parallel((long)T * C))
  for (int t = 0; t < T; t++) {
    const float* x = inp + (long)t * C;
    // Double accumulation: the statistics then match torch's to the last float bit or so,
    // which keeps parity deviations in the 1e-6 range rather than growing with C.
    double sum = 0.0;
    for (int c = 0; c < C; c++) sum += x[c];
    double m = sum / C;
    double var = 0.0;
    for (int c = 0; c < C; c++) var += (x[c] - m) * (x[c] - m);
    float s = static_cast<float>(1.0 / std::sqrt(var / C + eps));
    float mf = static_cast<float>(m);
    float* o = out + (long)t * C;
    for (int c = 0; c < C; c++) o[c] = (x[c] - mf) * s * weight[c] + bias[c];
    mean[t] = mf;
    rstd[t] = s;
  }
}

BERTCLS_HOT void layernorm_backward(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                                    const float* weight, const float* mean, const float* rstd, int T, int C) {
#pragma omp parallel for if (tensor::worth_parallel((long)T * C))
  for (int t = 0; t < T; t++) {
    const float* x = inp + (long)t * C;
    const float* dy = dout + (long)t * C;
    float m = mean[t], s = rstd[t];
    // dx = s * (g - mean(g) - xhat * mean(g * xhat)) with g = dy * weight.
    double g_mean = 0.0, gx_mean = 0.0;
    for (int c = 0; c < C; c++) {
      float g = dy[c] * weight[c];
      g_mean += g;
      gx_mean += g * (x[c] - m) * s;
    }
    float gm = static_cast<float>(g_mean / C), gxm = static_cast<float>(gx_mean / C);
    float* dx = dinp + (long)t * C;
    for (int c = 0; c < C; c++) {
      float xhat = (x[c] - m) * s;
      dx[c] = s * (dy[c] * weight[c] - gm - xhat * gxm);
    }
  }
  // Parameter gradients reduce over tokens: a serial pass over rows, vectorised over C,
  // keeps the sum order fixed (reproducible) at a cost of T*C multiply-adds.
  for (int t = 0; t < T; t++) {
    const float* x = inp + (long)t * C;
    const float* dy = dout + (long)t * C;
    float m = mean[t], s = rstd[t];
    for (int c = 0; c < C; c++) {
      dweight[c] += dy[c] * (x[c] - m) * s;
      dbias[c] += dy[c];
    }
  }
}

}  // namespace bertcls::model
