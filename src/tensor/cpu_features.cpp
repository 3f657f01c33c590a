#include "tensor/cpu_features.h"

#include <cpuid.h>

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

namespace {

// CPUID leaf 7, sub-leaf `sub`; zeros where the CPU has no such leaf.
struct Leaf7 {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
};
Leaf7 leaf7(unsigned sub) {
  Leaf7 r;
  if (__get_cpuid_max(0, nullptr) < 7) return r;
  __cpuid_count(7, sub, r.eax, r.ebx, r.ecx, r.edx);
  return r;
}

}  // namespace

// __builtin_cpu_supports("avx512f") also checks XCR0, i.e. that the OS saves the
// registers; the bf16 bits alone say only what the silicon has.
bool cpu_has_avx512_bf16() { return __builtin_cpu_supports("avx512f") && (leaf7(1).eax & (1u << 5)) != 0; }

bool cpu_has_amx_bf16() { return __builtin_cpu_supports("avx512f") && (leaf7(0).edx & (1u << 22)) != 0; }

}  // namespace bertcls::tensor
