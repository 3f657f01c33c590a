#include "tensor/bf16.h"

#include <cstring>

#include "tensor/cpu_features.h"
#include "tensor/threads.h"

namespace bertcls::tensor {

BERTCLS_HOT void convert_bf16(std::uint16_t* out, const float* inp, long n) {
#pragma omp parallel for simd if (worth_parallel(n))
  for (long i = 0; i < n; i++) {
    std::uint32_t u;
    std::memcpy(&u, &inp[i], sizeof u);
    u += 0x7FFFu + ((u >> 16) & 1u);
    out[i] = static_cast<std::uint16_t>(u >> 16);
  }
}

}  // namespace bertcls::tensor
