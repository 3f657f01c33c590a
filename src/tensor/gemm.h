// The engine's one matrix product, row-major: C = alpha * op(A) @ op(B) + beta * C.
// Every dense layer and attention product goes through here, so a GPU or another BLAS
// backend replaces this one function. lda/ldb/ldc are row strides in floats, which lets
// attention address one head's columns inside a packed [T, 3C] matrix without copying.
#pragma once

namespace bertcls::tensor {

enum class Trans { no, yes };

void gemm(Trans trans_a, Trans trans_b, int m, int n, int k, float alpha, const float* a, int lda,
          const float* b, int ldb, float beta, float* c, int ldc);

}  // namespace bertcls::tensor
