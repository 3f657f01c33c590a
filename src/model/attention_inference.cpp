#include <algorithm>
#include <cmath>
#include <vector>

#include "model/attention.h"
#include "tensor/cpu_features.h"
#include "tensor/exp_nonpositive.h"
#include "tensor/gemm.h"
#include "tensor/threads.h"

namespace bertcls::model {

using tensor::gemm;
using tensor::Trans;

namespace {

// Query rows per task: one (sequence, head) of a long text splits over threads, and a
// task's scores, [rows, L], stay in the thread's cache between the two products.
constexpr int kTaskRows = 32;
constexpr int kLanes = 16;  // the softmax's partial sums: one AVX-512 register

struct Task {
  int b, h, row0, rows;
};

std::vector<float>& thread_scores() {
  thread_local std::vector<float> s;
  return s;
}

}  // namespace

// The training path's products (BLAS, single-threaded inside the region), but per block
// of query rows with its scores in a per-thread scratch: no [NH, L, L] buffer written to
// memory and read back. A hand-written loop (keys transposed per task, scores
// accumulated four rows at a time) took about twice this one's time in bert-base's
// int8 profile (0.7 of the GEMMs' samples against 0.3).
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
    const float* q = qkv + (row0 + task.row0) * C3 + (long)task.h * HS;
    const float* k = qkv + row0 * C3 + C + (long)task.h * HS;
    const float* v = k + C;
    // ctx rows of the task's queries: their tokens' rows, or sequence b's row when first_only.
    float* out = ctx + (first_only ? (long)task.b : row0 + task.row0) * C + (long)task.h * HS;
    std::vector<float>& scores = thread_scores();
    scores.resize((size_t)task.rows * L);
    float* s = scores.data();
    gemm(Trans::no, Trans::yes, task.rows, L, HS, scale, q, C3, k, C3, 0.0f, s, L);
    for (int i = 0; i < task.rows; i++) {
      float* row = s + (long)i * L;
      float mx = row[0];
      for (int j = 1; j < L; j++) mx = std::max(mx, row[j]);
      // Exponentials in one vectorized loop, their sum in per-lane partial sums (a
      // single float sum would keep the loop scalar): std::exp's calls were 3.6% of an
      // int8 bert-base profile.
      for (int j = 0; j < L; j++) row[j] = tensor::exp_nonpositive(row[j] - mx);
      float lanes[kLanes] = {};
      int j = 0;
      for (; j + kLanes <= L; j += kLanes)
        for (int l = 0; l < kLanes; l++) lanes[l] += row[j + l];
      float sum = 0.0f;
      for (; j < L; j++) sum += row[j];
      for (float lane : lanes) sum += lane;
      const float inv = 1.0f / sum;
      for (int j = 0; j < L; j++) row[j] *= inv;
    }
    gemm(Trans::no, Trans::no, task.rows, HS, L, 1.0f, s, L, v, C3, 0.0f, out, C);
  }
}

}  // namespace bertcls::model
