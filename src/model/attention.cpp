#include "model/attention.h"

#include <cmath>

#include "tensor/gemm.h"
#include "tensor/threads.h"

namespace bertcls::model {

using tensor::gemm;
using tensor::Trans;

void attention_forward(float* ctx, float* att, float* attd, const float* qkv, const Packing& pack, int NH,
                       int HS, const DropoutSite& dropout) {
  const int C = NH * HS, C3 = 3 * C;
  const float scale = 1.0f / std::sqrt(static_cast<float>(HS));
  // One task per (sequence, head); the BLAS runs single-threaded inside the region.
#pragma omp parallel for schedule(dynamic) collapse(2) if (tensor::worth_parallel(pack.score_offsets[pack.B] * HS))
  for (int b = 0; b < pack.B; b++) {
    for (int h = 0; h < NH; h++) {
      const int L = pack.length(b);
      const long first = pack.score_offsets[b] + (long)h * L * L;
      const float* q = qkv + (long)pack.offsets[b] * C3 + h * HS;
      const float* k = q + C;
      const float* v = q + 2 * C;
      float* s = att + first;
      gemm(Trans::no, Trans::yes, L, L, HS, scale, q, C3, k, C3, 0.0f, s, L);
      for (int i = 0; i < L; i++) {
        float* row = s + (long)i * L;
        float mx = row[0];
        for (int j = 1; j < L; j++) mx = row[j] > mx ? row[j] : mx;
        float sum = 0.0f;
        for (int j = 0; j < L; j++) {
          row[j] = std::exp(row[j] - mx);
          sum += row[j];
        }
        float inv = 1.0f / sum;
        for (int j = 0; j < L; j++) row[j] *= inv;
      }
      float* sd = s;
      if (dropout.p > 0.0f) {
        sd = attd + first;
        dropout_forward(dropout, sd, s, (long)L * L, first);
      }
      gemm(Trans::no, Trans::no, L, HS, L, 1.0f, sd, L, v, C3, 0.0f, ctx + (long)pack.offsets[b] * C + h * HS, C);
    }
  }
}

void attention_backward(float* dqkv, float* datt, const float* dctx, const float* qkv, const float* att,
                        const float* attd, const Packing& pack, int NH, int HS, const DropoutSite& dropout) {
  const int C = NH * HS, C3 = 3 * C;
  const float scale = 1.0f / std::sqrt(static_cast<float>(HS));
#pragma omp parallel for schedule(dynamic) collapse(2) if (tensor::worth_parallel(pack.score_offsets[pack.B] * HS))
  for (int b = 0; b < pack.B; b++) {
    for (int h = 0; h < NH; h++) {
      const int L = pack.length(b);
      const long first = pack.score_offsets[b] + (long)h * L * L;
      const long row0 = (long)pack.offsets[b];
      const float* q = qkv + row0 * C3 + h * HS;
      const float* k = q + C;
      const float* v = q + 2 * C;
      float* dq = dqkv + row0 * C3 + h * HS;
      float* dk = dq + C;
      float* dv = dq + 2 * C;
      const float* dout = dctx + row0 * C + h * HS;
      const float* p = att + first;
      const float* pd = dropout.p > 0.0f ? attd + first : p;
      float* dp = datt + first;
      // ctx = pd @ v: dv = pd^T @ dout, dpd = dout @ v^T.
      gemm(Trans::yes, Trans::no, L, HS, L, 1.0f, pd, L, dout, C, 0.0f, dv, C3);
      gemm(Trans::no, Trans::yes, L, L, HS, 1.0f, dout, C, v, C3, 0.0f, dp, L);
      if (dropout.p > 0.0f) dropout_backward(dropout, dp, dp, (long)L * L, first);
      // Softmax backward per row: ds = p * (dp - sum_j p_j dp_j).
      for (int i = 0; i < L; i++) {
        const float* pr = p + (long)i * L;
        float* dr = dp + (long)i * L;
        float dot = 0.0f;
        for (int j = 0; j < L; j++) dot += pr[j] * dr[j];
        for (int j = 0; j < L; j++) dr[j] = pr[j] * (dr[j] - dot);
      }
      // s = scale * q @ k^T: dq = scale * ds @ k, dk = scale * ds^T @ q.
      gemm(Trans::no, Trans::no, L, HS, L, scale, dp, L, k, C3, 0.0f, dq, C3);
      gemm(Trans::yes, Trans::no, L, HS, L, scale, dp, L, q, C3, 0.0f, dk, C3);
    }
  }
}

}  // namespace bertcls::model
