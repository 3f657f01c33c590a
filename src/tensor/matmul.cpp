#include "tensor/matmul.h"

#include <omp.h>
#include <oneapi/dnnl/dnnl.hpp>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include <bertcls/error.h>
#include "tensor/bf16.h"
#include "tensor/onednn_context.h"

namespace bertcls::tensor {
namespace {

using dt = dnnl::memory::data_type;
using dims = dnnl::memory::dims;

// A product below this many multiply-adds runs on the calling thread alone: oneDNN forks
// a team for any size, and on a busy machine each barrier of a spinning team can cost a
// time slice (tensor/threads.h). A tiny model's whole step is such products.
constexpr double kMinParallelMacs = 1 << 22;

// omp_set_num_threads(1) for the calling thread while alive; oneDNN reads the thread
// count when it builds a primitive (its cache keys by it) and when it runs one.
class CallingThreadOnly {
 public:
  explicit CallingThreadOnly(bool on) : before_(on ? omp_get_max_threads() : 0) {
    if (on) omp_set_num_threads(1);
  }
  ~CallingThreadOnly() {
    if (before_ > 0) omp_set_num_threads(before_);
  }
  CallingThreadOnly(const CallingThreadOnly&) = delete;
  CallingThreadOnly& operator=(const CallingThreadOnly&) = delete;

 private:
  int before_;
};

struct ThreadBuffers {
  std::vector<uint16_t> a;  // A rounded to bf16
  std::vector<uint8_t> b;   // B in the kernel's layout and type
  std::vector<uint8_t> scratchpad;
};
ThreadBuffers& thread_buffers() {
  thread_local ThreadBuffers buffers;
  return buffers;
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
  const CallingThreadOnly alone((double)m * n * k < kMinParallelMacs);
  const dt type = precision == Precision::bf16 ? dt::bf16 : dt::f32;
  const dnnl::engine& engine = cpu_engine();
  const dnnl::memory::desc a_md = operand_desc(a, m, k, type), b_plain = operand_desc(b, k, n, dt::f32);
  const dnnl::memory::desc c_md({m, n}, dt::f32, dims{ldc, 1}), bias_md({1, n}, dt::f32, dims{n, 1});
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  if (accumulate) {
    dnnl::post_ops ops;
    ops.append_sum(1.0f);
    attr.set_post_ops(ops);
  }
  // B in the layout the kernel reads best, reordered (and rounded to bf16) on every call.
  const dnnl::memory::desc b_any({k, n}, type, dnnl::memory::format_tag::any);
  const dnnl::matmul::desc desc =
      bias != nullptr ? dnnl::matmul::desc(a_md, b_any, bias_md, c_md) : dnnl::matmul::desc(a_md, b_any, c_md);
  const dnnl::matmul::primitive_desc pd(desc, attr, engine);
  const dnnl::matmul primitive(pd);  // oneDNN's primitive cache holds the built kernel

  ThreadBuffers& buf = thread_buffers();
  dnnl::stream& stream = thread_stream();
  const void* a_data = as_type(a, m, k, precision, buf.a);
  dnnl::memory b_mem(b_plain, engine, const_cast<float*>(b.data));
  if (pd.weights_desc() != b_plain) {
    if (buf.b.size() < pd.weights_desc().get_size()) buf.b.resize(pd.weights_desc().get_size());
    dnnl::memory packed(pd.weights_desc(), engine, buf.b.data());
    dnnl::reorder(b_mem, packed).execute(stream, b_mem, packed);
    b_mem = packed;
  }
  if (buf.scratchpad.size() < pd.scratchpad_desc().get_size()) buf.scratchpad.resize(pd.scratchpad_desc().get_size());
  std::unordered_map<int, dnnl::memory> args{
      {DNNL_ARG_SRC, dnnl::memory(a_md, engine, const_cast<void*>(a_data))},
      {DNNL_ARG_WEIGHTS, b_mem},
      {DNNL_ARG_DST, dnnl::memory(c_md, engine, c)},
      {DNNL_ARG_SCRATCHPAD, dnnl::memory(pd.scratchpad_desc(), engine, buf.scratchpad.data())}};
  if (bias != nullptr) args.emplace(DNNL_ARG_BIAS, dnnl::memory(bias_md, engine, const_cast<float*>(bias)));
  primitive.execute(stream, args);
  stream.wait();
}

}  // namespace bertcls::tensor
