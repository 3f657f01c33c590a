#include "tensor/matmul.h"

#include <oneapi/dnnl/dnnl.hpp>

#include <cstdint>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

#include <bertcls/error.h>
#include "tensor/cpu_features.h"
#include "tensor/threads.h"

namespace bertcls::tensor {
namespace {

using dt = dnnl::memory::data_type;
using dims = dnnl::memory::dims;

const dnnl::engine& cpu_engine() {
  static const dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

dnnl::stream& thread_stream() {
  thread_local dnnl::stream stream(cpu_engine());
  return stream;
}

struct ThreadBuffers {
  std::vector<uint16_t> a, b;  // bf16 copies of the operands
  std::vector<uint8_t> scratchpad;
};
ThreadBuffers& thread_buffers() {
  thread_local ThreadBuffers buffers;
  return buffers;
}

// Round to nearest even, as torch's float -> bfloat16; NaN and infinities do not occur
// in a finite training step, and a non-finite gradient is caught by the norm after.
BERTCLS_HOT void convert_bf16(uint16_t* out, const float* inp, long n) {
#pragma omp parallel for simd if (worth_parallel(n))
  for (long i = 0; i < n; i++) {
    uint32_t u;
    std::memcpy(&u, &inp[i], sizeof u);
    u += 0x7FFFu + ((u >> 16) & 1u);
    out[i] = static_cast<uint16_t>(u >> 16);
  }
}

// op(X) [rows, cols] of an operand stored row-major with stride ld: the strides oneDNN
// reads it with.
dnnl::memory::desc operand_desc(const MatmulOperand& x, int rows, int cols, dt type) {
  return {{rows, cols}, type, x.trans == Trans::no ? dims{x.ld, 1} : dims{1, x.ld}};
}

// The stored extent of op(X) [rows, cols]: what a bf16 copy converts.
long stored_elements(const MatmulOperand& x, int rows, int cols) {
  const long stored_rows = x.trans == Trans::no ? rows : cols, stored_cols = x.trans == Trans::no ? cols : rows;
  return (stored_rows - 1) * x.ld + stored_cols;
}

const void* as_type(const MatmulOperand& x, int rows, int cols, Precision precision, std::vector<uint16_t>& copy) {
  if (precision == Precision::fp32) return x.data;
  const long n = stored_elements(x, rows, cols);
  copy.resize(static_cast<size_t>(n));
  convert_bf16(copy.data(), x.data, n);
  return copy.data();
}

}  // namespace

void require_precision(Precision precision, const char* what) {
  if (precision == Precision::int8) throw Error(std::string(what) + ": int8 is an inference format; training runs fp32 or bf16");
  if (precision != Precision::bf16) return;
  static const std::string missing = bf16_missing_feature();  // ONEDNN_MAX_CPU_ISA is read once too
  if (!missing.empty()) throw Error(std::string(what) + " needs a CPU with " + missing + "; this one has neither");
}

void matmul(Precision precision, int m, int n, int k, MatmulOperand a, MatmulOperand b, const float* bias,
            bool accumulate, float* c, int ldc) {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {  // an empty sum: C keeps or loses its old value, then the bias
    for (int i = 0; i < m; i++) {
      float* row = c + (long)i * ldc;
      for (int j = 0; j < n; j++) row[j] = (accumulate ? row[j] : 0.0f) + (bias != nullptr ? bias[j] : 0.0f);
    }
    return;
  }
  require_precision(precision, "tensor::matmul");
  const dt type = precision == Precision::bf16 ? dt::bf16 : dt::f32;
  const dnnl::engine& engine = cpu_engine();
  const dnnl::memory::desc a_md = operand_desc(a, m, k, type), b_md = operand_desc(b, k, n, type);
  const dnnl::memory::desc c_md({m, n}, dt::f32, dims{ldc, 1}), bias_md({1, n}, dt::f32, dims{n, 1});
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  if (accumulate) {
    dnnl::post_ops ops;
    ops.append_sum(1.0f);
    attr.set_post_ops(ops);
  }
  const dnnl::matmul::desc desc = bias != nullptr ? dnnl::matmul::desc(a_md, b_md, bias_md, c_md) : dnnl::matmul::desc(a_md, b_md, c_md);
  const dnnl::matmul::primitive_desc pd(desc, attr, engine);
  const dnnl::matmul primitive(pd);  // oneDNN's primitive cache holds the built kernel

  ThreadBuffers& buf = thread_buffers();
  const void* a_data = as_type(a, m, k, precision, buf.a);
  const void* b_data = as_type(b, k, n, precision, buf.b);
  if (buf.scratchpad.size() < pd.scratchpad_desc().get_size()) buf.scratchpad.resize(pd.scratchpad_desc().get_size());
  std::unordered_map<int, dnnl::memory> args{
      {DNNL_ARG_SRC, dnnl::memory(a_md, engine, const_cast<void*>(a_data))},
      {DNNL_ARG_WEIGHTS, dnnl::memory(b_md, engine, const_cast<void*>(b_data))},
      {DNNL_ARG_DST, dnnl::memory(c_md, engine, c)},
      {DNNL_ARG_SCRATCHPAD, dnnl::memory(pd.scratchpad_desc(), engine, buf.scratchpad.data())}};
  if (bias != nullptr) args.emplace(DNNL_ARG_BIAS, dnnl::memory(bias_md, engine, const_cast<float*>(bias)));
  dnnl::stream& stream = thread_stream();
  primitive.execute(stream, args);
  stream.wait();
}

}  // namespace bertcls::tensor
