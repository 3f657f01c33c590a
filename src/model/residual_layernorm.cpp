#include "model/residual_layernorm.h"

#include <cmath>

#include "tensor/cpu_features.h"
#include "tensor/threads.h"

namespace bertcls::model {

// The row's sum lands in out while the statistics accumulate, so the input rows are read
// once; the second and third passes read the row back from L1. The double reductions
// are vectorised (their order differs from layernorm_forward's: same to ~1e-16).
BERTCLS_HOT void residual_layernorm_forward(float* out, const float* inp, const float* residual, const float* weight,
                                            const float* bias, int T, int C, float eps) {
#pragma omp parallel for if (tensor::worth_parallel((long)T * C))
  for (int t = 0; t < T; t++) {
    const float* a = inp + (long)t * C;
    const float* r = residual + (long)t * C;
    float* o = out + (long)t * C;
    double sum = 0.0;
#pragma omp simd reduction(+ : sum)
    for (int c = 0; c < C; c++) {
      o[c] = a[c] + r[c];
      sum += o[c];
    }
    const double m = sum / C;
    double var = 0.0;
#pragma omp simd reduction(+ : var)
    for (int c = 0; c < C; c++) var += (o[c] - m) * (o[c] - m);
    const float s = static_cast<float>(1.0 / std::sqrt(var / C + eps));
    const float mf = static_cast<float>(m);
#pragma omp simd
    for (int c = 0; c < C; c++) o[c] = (o[c] - mf) * s * weight[c] + bias[c];
  }
}

}  // namespace bertcls::model
