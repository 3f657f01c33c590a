#include "model/embedding.h"
#include "tensor/threads.h"

namespace bertcls::model {

void embedding_forward(float* out, const int32_t* ids, const int32_t* type_ids, const Packing& pack,
                       const float* wte, const float* wpe, const float* wtt, int C, int position_offset) {
#pragma omp parallel for if (tensor::worth_parallel((long)pack.T() * C))
  for (int b = 0; b < pack.B; b++) {
    for (int t = pack.offsets[b]; t < pack.offsets[b + 1]; t++) {
      const float* w = wte + (long)ids[t] * C;
      const float* p = wpe + (long)(t - pack.offsets[b] + position_offset) * C;
      float* o = out + (long)t * C;
      if (wtt == nullptr) {
        for (int c = 0; c < C; c++) o[c] = w[c] + p[c];
        continue;
      }
      const float* y = wtt + (long)type_ids[t] * C;
      // HF's order of additions: (word + token type) + position.
      for (int c = 0; c < C; c++) o[c] = (w[c] + y[c]) + p[c];
    }
  }
}

void embedding_backward(float* dwte, float* dwpe, float* dwtt, const float* dout, const int32_t* ids,
                        const int32_t* type_ids, const Packing& pack, int C, int pad_id, int position_offset) {
  // Serial over tokens: two tokens may share a row, and a fixed order keeps sums reproducible.
  for (int b = 0; b < pack.B; b++) {
    for (int t = pack.offsets[b]; t < pack.offsets[b + 1]; t++) {
      const float* d = dout + (long)t * C;
      if (dwpe != nullptr) {
        float* p = dwpe + (long)(t - pack.offsets[b] + position_offset) * C;
        for (int c = 0; c < C; c++) p[c] += d[c];
      }
      if (dwtt != nullptr) {
        float* y = dwtt + (long)type_ids[t] * C;
        for (int c = 0; c < C; c++) y[c] += d[c];
      }
      if (ids[t] == pad_id) continue;
      float* w = dwte + (long)ids[t] * C;
      for (int c = 0; c < C; c++) w[c] += d[c];
    }
  }
}

}  // namespace bertcls::model
