#include "tensor/cpu_features.h"

namespace bertcls::tensor {

const char* hot_kernel_isa() {
#if BERTCLS_CPU_DISPATCH
  // The same tests, in the same order, as the resolver target_clones generates.
  if (__builtin_cpu_supports("x86-64-v4")) return "x86-64-v4 (AVX-512)";
  if (__builtin_cpu_supports("x86-64-v3")) return "x86-64-v3 (AVX2+FMA)";
  return "x86-64 (baseline)";
#else
  return "compile-time";
#endif
}

}  // namespace bertcls::tensor
