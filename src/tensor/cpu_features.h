// Run-time choice of instruction set for the engine's hot elementwise loops. The default
// build targets baseline x86-64 so that one binary runs on every x86-64 CPU; a function
// marked BERTCLS_HOT is compiled three times (AVX-512, AVX2+FMA, baseline) and the
// dynamic loader binds the best one the CPU has, once, through an ifunc (GCC's
// target_clones; glibc). Measured on rubert-tiny2 shapes in bench/README.md.
//
// What a clone covers: the function's body, an OpenMP parallel region written inside it
// (GCC clones the outlined region too), and whatever gets inlined into them. A call to
// a function that is not inlined runs that function's own code, so the loop, its
// parallel region and its helpers (inline, in the same file) belong inside the marked
// function. GEMM is OpenBLAS's, which dispatches by itself.
#pragma once

// Off where the compiler already targets AVX-512 (BERTCLS_NATIVE on such a machine:
// the clones would add nothing), off for clang (fuzz builds), and settable with
// -DBERTCLS_CPU_DISPATCH=0: with -march=x86-64-v3 that runs the AVX2 code on an
// AVX-512 machine, as an AVX2-only CI machine would.
#ifndef BERTCLS_CPU_DISPATCH
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__) && !defined(__AVX512F__)
#define BERTCLS_CPU_DISPATCH 1
#else
#define BERTCLS_CPU_DISPATCH 0
#endif
#endif

#if BERTCLS_CPU_DISPATCH
#define BERTCLS_HOT __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define BERTCLS_HOT
#endif

namespace bertcls::tensor {

// The variant BERTCLS_HOT functions run on this CPU, for logs and benchmark reports:
// "x86-64-v4 (AVX-512)", "x86-64-v3 (AVX2+FMA)", "x86-64 (baseline)", or
// "compile-time" when the build does not dispatch.
const char* hot_kernel_isa();

// Native bf16 dot products (bf16 inference, tensor/packed_linear.h): AVX512-BF16
// (Cooper Lake, Zen 4 and later) or AMX-BF16 (Sapphire Rapids), each with the OS
// saving AVX-512 state.
bool cpu_has_avx512_bf16();
bool cpu_has_amx_bf16();

}  // namespace bertcls::tensor
