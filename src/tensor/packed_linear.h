// A dense layer for inference on oneDNN's matmul: out = act(inp @ weight^T + bias), the
// weight reordered once, at construction, into the blocked layout oneDNN's kernels read
// (OpenBLAS repacks it on every call), bias and GELU fused as post-ops. Forward only:
// training keeps the fp32 GEMMs of model/linear.h.
//
// Three number formats for the product; everything around it stays fp32:
//   fp32  fp32 weights and activations.
//   bf16  bf16 weights, activations rounded to bf16 per call, fp32 accumulation and
//         output. Needs AVX512-BF16 or AMX-BF16 (bf16_missing_feature()).
//   int8  ONNX Runtime's quantize_dynamic: s8 weights, symmetric per output channel;
//         u8 activations, asymmetric per tensor, their range measured on every call;
//         s32 accumulation, then fp32 rescale + bias. Any x86-64 CPU (VNNI where
//         present; without it the weights keep 7 bits, as ORT's reduce_range, so AVX2's
//         u8*s8 pair sums cannot saturate 16 bits).
//
// Thread-safe: forward() may run on any number of threads at once (the weights are
// read-only; primitives are built lazily under a lock).
#pragma once

#include <memory>
#include <string>

namespace bertcls::tensor {

enum class Precision { fp32, bf16, int8 };
// Applied after the bias; the two GELUs of model/activation.h.
enum class Epilogue { none, gelu_erf, gelu_tanh };

const char* precision_name(Precision p);
// Empty when this CPU runs bf16 products natively, else the missing feature's name.
std::string bf16_missing_feature();
// The largest |s8| an int8 weight takes: 127 with VNNI, 63 without.
int int8_weight_max();

class PackedLinear {
 public:
  // weight [OC, IC] as torch stores it, bias [OC]; both are copied.
  PackedLinear(const float* weight, const float* bias, int IC, int OC, Precision precision,
               Epilogue epilogue = Epilogue::none);
  ~PackedLinear();
  PackedLinear(PackedLinear&&) noexcept;
  PackedLinear& operator=(PackedLinear&&) noexcept;

  // inp [T, IC], out [T, OC]; T >= 0 varies from call to call.
  void forward(float* out, const float* inp, int T) const;

  // forward() runs rows in chunks of chunk_rows() and a last shorter one, each row count
  // a kernel oneDNN builds on its first use (1-5 ms). build(rows), 1 <= rows <=
  // chunk_rows(), builds that one now (a warm-up at load; oneDNN's own cache makes the
  // same shape in another layer cheap). Thread-safe, as forward().
  static int chunk_rows();
  void build(int rows) const;

  int in_features() const;
  int out_features() const;
  Epilogue epilogue() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bertcls::tensor
