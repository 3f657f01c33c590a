#include "model/attention.h"

#include <cmath>

#include "tensor/cpu_features.h"
#include "tensor/gemm.h"
#include "tensor/threads.h"

namespace bertcls::model {

using tensor::gemm;
using tensor::Trans;

namespace {

// One task: head h of sequence b. Its L x L scores start at `first` in the score buffer;
// its query, key and value columns sit inside the rows of its tokens in qkv [T, 3C].
struct HeadBlock {
  int L;
  long first;
  long qkv_offset;  // of the query columns; key at + C, value at + 2C
  long out_offset;  // of its columns in a [T, C] matrix
};

HeadBlock head_block(const Packing& pack, int b, int h, int NH, int HS) {
  const int L = pack.length(b);
  const long row0 = pack.offsets[b];
  return {L, pack.score_offsets[b] + (long)h * L * L, row0 * 3 * NH * HS + h * HS, row0 * NH * HS + h * HS};
}

}  // namespace

// The softmax and its backward run between the per-head products; GEMM dispatches itself.
BERTCLS_HOT void attention_forward(float* ctx, float* att, float* attd, const float* qkv, const Packing& pack,
                                   int NH, int HS, const DropoutSite& dropout) {
  const int C = NH * HS, C3 = 3 * C;
  const float scale = 1.0f / std::sqrt(static_cast<float>(HS));
  // One task per (sequence, head); the BLAS runs single-threaded inside the region.
#pragma omp parallel for schedule(dynamic) collapse(2) if (tensor::worth_parallel(pack.score_offsets[pack.B] * HS))
  for (int b = 0; b < pack.B; b++) {
    for (int h = 0; h < NH; h++) {
      const HeadBlock hb = head_block(pack, b, h, NH, HS);
      const int L = hb.L;
      const long first = hb.first;
      const float* q = qkv + hb.qkv_offset;
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
      gemm(Trans::no, Trans::no, L, HS, L, 1.0f, sd, L, v, C3, 0.0f, ctx + hb.out_offset, C);
    }
  }
}

BERTCLS_HOT void attention_backward(float* dqkv, float* datt, const float* dctx, const float* qkv,
                                    const float* att, const Packing& pack, int NH, int HS,
                                    const DropoutSite& dropout) {
  const int C = NH * HS, C3 = 3 * C;
  const float scale = 1.0f / std::sqrt(static_cast<float>(HS));
#pragma omp parallel for schedule(dynamic) collapse(2) if (tensor::worth_parallel(pack.score_offsets[pack.B] * HS))
  for (int b = 0; b < pack.B; b++) {
    for (int h = 0; h < NH; h++) {
      const HeadBlock hb = head_block(pack, b, h, NH, HS);
      const int L = hb.L;
      const long first = hb.first;
      const float* q = qkv + hb.qkv_offset;
      const float* k = q + C;
      const float* v = q + 2 * C;
      float* dq = dqkv + hb.qkv_offset;
      float* dk = dq + C;
      float* dv = dq + 2 * C;
      const float* dout = dctx + hb.out_offset;
      const float* p = att + first;
      float* dp = datt + first;
      // The dropped probabilities, replayed from the counter RNG into the scratch that
      // then receives their gradient.
      const float* pd = p;
      if (dropout.p > 0.0f) {
        dropout_forward(dropout, dp, p, (long)L * L, first);
        pd = dp;
      }
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
