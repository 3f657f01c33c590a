#include <algorithm>
#include <cmath>
#include <vector>

#include "model/attention.h"
#include "tensor/cpu_features.h"
#include "tensor/threads.h"

namespace bertcls::model {

namespace {

// Query rows per task: one (sequence, head) of a long text splits over threads, and a
// task's copy of the transposed keys is paid once per this many rows.
constexpr int kTaskRows = 32;
// Query rows sharing each load of a key or value vector inside a task.
constexpr int kRowGroup = 4;

struct Task {
  int b, h, row0, rows;
};

// Per thread: the head's keys transposed [HS, L] and kRowGroup score rows [L].
struct Scratch {
  std::vector<float> keys, scores;
};
Scratch& thread_scratch() {
  thread_local Scratch s;
  return s;
}

}  // namespace

// The probabilities of kRowGroup query rows live in a scratch row each, never in memory
// beyond L1: no [NH, L, L] buffer written and read back, no BLAS call per head.
BERTCLS_HOT void attention_inference_forward(float* ctx, const float* qkv, const Packing& pack, int NH, int HS,
                                             bool first_only) {
  const int C = NH * HS, C3 = 3 * C;
  const float scale = 1.0f / std::sqrt(static_cast<float>(HS));
  std::vector<Task> tasks;
  long work = 0;
  for (int b = 0; b < pack.B; b++) {
    const int L = pack.length(b), rows = first_only ? 1 : L;
    work += (long)NH * rows * L * HS;
    for (int h = 0; h < NH; h++)
      for (int r = 0; r < rows; r += kTaskRows) tasks.push_back({b, h, r, std::min(kTaskRows, rows - r)});
  }
  const int n = static_cast<int>(tasks.size());
#pragma omp parallel for schedule(dynamic) if (tensor::worth_parallel(work))
  for (int t = 0; t < n; t++) {
    const Task task = tasks[t];
    const int L = pack.length(task.b);
    const long row0 = pack.offsets[task.b];
    const float* q = qkv + row0 * C3 + (long)task.h * HS;
    const float* k = q + C;
    const float* v = q + 2 * C;
    // ctx row of query i: its token's row, or sequence b's row when first_only.
    float* out = ctx + (first_only ? (long)task.b * C : row0 * C) + (long)task.h * HS;
    Scratch& s = thread_scratch();
    s.keys.resize((size_t)HS * L);
    s.scores.resize((size_t)kRowGroup * L);
    float* kt = s.keys.data();
    for (int j = 0; j < L; j++)
      for (int d = 0; d < HS; d++) kt[(long)d * L + j] = k[(long)j * C3 + d];
    for (int i0 = task.row0; i0 < task.row0 + task.rows; i0 += kRowGroup) {
      const int g = std::min(kRowGroup, task.row0 + task.rows - i0);
      float* s0 = s.scores.data();
      float* s1 = s0 + L;
      float* s2 = s1 + L;
      float* s3 = s2 + L;
      std::fill_n(s0, (size_t)kRowGroup * L, 0.0f);
      // Rows past the group's end get zero queries: their scores are computed, not used.
      auto query = [&](int r, int d) { return r < g ? q[(long)(i0 + r) * C3 + d] * scale : 0.0f; };
      for (int d = 0; d < HS; d++) {
        const float q0 = query(0, d), q1 = query(1, d), q2 = query(2, d), q3 = query(3, d);
        const float* kd = kt + (long)d * L;
#pragma omp simd
        for (int j = 0; j < L; j++) {
          s0[j] += q0 * kd[j];
          s1[j] += q1 * kd[j];
          s2[j] += q2 * kd[j];
          s3[j] += q3 * kd[j];
        }
      }
      for (int r = 0; r < g; r++) {
        float* row = s0 + (long)r * L;
        float mx = row[0];
        for (int j = 1; j < L; j++) mx = std::max(mx, row[j]);
        float sum = 0.0f;
        for (int j = 0; j < L; j++) {
          row[j] = std::exp(row[j] - mx);
          sum += row[j];
        }
        const float inv = 1.0f / sum;
        float* o = out + (long)(first_only ? 0 : i0 + r) * C;
        std::fill_n(o, HS, 0.0f);
        for (int j = 0; j < L; j++) {
          const float p = row[j] * inv;
          const float* vj = v + (long)j * C3;
#pragma omp simd
          for (int d = 0; d < HS; d++) o[d] += p * vj[d];
        }
      }
    }
  }
}

}  // namespace bertcls::model
