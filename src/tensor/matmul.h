// Training's matrix products on oneDNN's matmul: C = op(A) @ op(B) [+ bias] [+ C],
// row-major, on the plain buffers the caller holds. Unlike PackedLinear nothing is kept
// packed: training's weights change every step, so B is reordered into the layout the
// kernel reads (and rounded to bf16) on every call, a pass that costs 1-3% of the product
// at bert-base's shapes; A is read as it is (bf16: rounded into a copy). A primitive is
// built for each exact shape (brgemm fixes M when built, 1-5 ms) and kept in oneDNN's
// primitive cache (a hit costs about 20 µs).
//
//   fp32  fp32 operands and sums. Measured no faster than OpenBLAS end to end, so the
//         dense layers keep tensor::gemm for fp32 (bench/README.md, "Training kernels").
//   bf16  A and B rounded to bf16 (to nearest even), fp32 sums, fp32 C. Needs
//         AVX512-BF16 or AMX-BF16 (bf16_missing_feature()).
//
// Deterministic for a given thread count: oneDNN splits the work by blocks of C and sums
// a split K in a fixed order. Products under 4M multiply-adds run on the calling thread.
#pragma once

#include "tensor/gemm.h"
#include "tensor/packed_linear.h"

namespace bertcls::tensor {

struct MatmulOperand {
  const float* data;
  int ld;  // row stride in floats of the matrix as stored
  Trans trans;
};

// C [m, n] (row stride ldc) = op(A) [m, k] @ op(B) [k, n], plus bias [n] when not null,
// plus the old C when accumulate. Precision::int8 is not a training format: it throws.
void matmul(Precision precision, int m, int n, int k, MatmulOperand a, MatmulOperand b, const float* bias,
            bool accumulate, float* c, int ldc);

// Throws Error for bf16 on a CPU without it, naming `what` (the option asking for it) and
// the missing feature; returns for fp32.
void require_precision(Precision precision, const char* what);

}  // namespace bertcls::tensor
