#include "tensor/packed_linear.h"

#include <oneapi/dnnl/dnnl.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <bertcls/error.h>
#include "tensor/bf16.h"
#include "tensor/cpu_features.h"
#include "tensor/onednn_context.h"
#include "tensor/threads.h"

namespace bertcls::tensor {
namespace {

using dt = dnnl::memory::data_type;
using dims = dnnl::memory::dims;

// oneDNN's fastest matmul kernels (brgemm) need M fixed when the primitive is built, and
// building one costs 1-5 ms; with M at run time oneDNN falls back to a GEMM that
// repacks the weights (2x slower at M = 600, tiny2's shapes, bench/README.md "Kernels").
// So rows go through in chunks of kChunkRows, each a primitive built for that M, and
// the last, shorter chunk through one built for its own M: at most kChunkRows
// primitives per layer, built once each. 64-row chunks ran at the same GFLOP/s as one
// 600- or 1024-row product.
constexpr int kChunkRows = 64;

// Per-thread buffers reused across calls: the converted activations and the
// primitive's scratchpad (user-owned, so concurrent calls of one primitive never share).
struct ThreadBuffers {
  std::vector<uint16_t> bf16;
  std::vector<uint8_t> u8;
  std::vector<float> scales, bias;  // int8: this call's output scales, bias in s32 units
  std::vector<uint8_t> scratchpad;
};
ThreadBuffers& thread_buffers() {
  thread_local ThreadBuffers buffers;
  return buffers;
}

bool oneDNN_has(dnnl::cpu_isa want) {
  const auto have = static_cast<unsigned>(dnnl::get_effective_cpu_isa());
  return (have & static_cast<unsigned>(want)) == static_cast<unsigned>(want);
}

bool has_vnni() { return oneDNN_has(dnnl::cpu_isa::avx512_core_vnni) || oneDNN_has(dnnl::cpu_isa::avx2_vnni); }

struct Range {
  float lo, hi;
};

// Per-lane minima and maxima over blocks of kLanes, then the lanes: GCC vectorises this
// shape (vminps, vmaxps) but not a scalar min/max reduction, which ran scalar and cost
// 5% of a bert-base int8 pass.
constexpr int kLanes = 16;

BERTCLS_HOT Range range_of(const float* x, long n) {
  // Zero is always representable, as ORT's dynamic quantization makes sure.
  float lo = 0.0f, hi = 0.0f;
  const long blocks = n / kLanes;
#pragma omp parallel reduction(min : lo) reduction(max : hi) if (worth_parallel(n))
  {
    float lo_lane[kLanes] = {}, hi_lane[kLanes] = {};
#pragma omp for
    for (long b = 0; b < blocks; b++) {
      const float* v = x + b * kLanes;
      for (int l = 0; l < kLanes; l++) {
        lo_lane[l] = v[l] < lo_lane[l] ? v[l] : lo_lane[l];
        hi_lane[l] = v[l] > hi_lane[l] ? v[l] : hi_lane[l];
      }
    }
    for (int l = 0; l < kLanes; l++) {
      lo = std::min(lo, lo_lane[l]);
      hi = std::max(hi, hi_lane[l]);
    }
  }
  for (long i = blocks * kLanes; i < n; i++) {
    lo = std::min(lo, x[i]);
    hi = std::max(hi, x[i]);
  }
  return {lo, hi};
}

// Clamped in float, then converted through int: std::clamp's references and a direct
// float -> uint8_t conversion kept GCC to 4-lane masked code.
BERTCLS_HOT void quantize_u8(uint8_t* out, const float* inp, long n, float inv_scale, float zero_point) {
#pragma omp parallel for simd if (worth_parallel(n))
  for (long i = 0; i < n; i++) {
    float q = std::nearbyint(inp[i] * inv_scale) + zero_point;
    q = q < 0.0f ? 0.0f : q;
    q = q > 255.0f ? 255.0f : q;
    out[i] = static_cast<uint8_t>(static_cast<int>(q));
  }
}

dt kernel_type(Precision p) { return p == Precision::bf16 ? dt::bf16 : p == Precision::int8 ? dt::u8 : dt::f32; }
dt weight_type(Precision p) { return p == Precision::bf16 ? dt::bf16 : p == Precision::int8 ? dt::s8 : dt::f32; }

}  // namespace

const char* precision_name(Precision p) {
  switch (p) {
    case Precision::bf16: return "bf16";
    case Precision::int8: return "int8";
    case Precision::fp32: break;
  }
  return "fp32";
}

std::string bf16_missing_feature() {
  if (!cpu_has_avx512_bf16() && !cpu_has_amx_bf16()) return "AVX512-BF16 or AMX-BF16";
  // ONEDNN_MAX_CPU_ISA may keep oneDNN below what the CPU has.
  if (!oneDNN_has(dnnl::cpu_isa::avx512_core_bf16)) return "oneDNN's avx512_core_bf16 kernels (ONEDNN_MAX_CPU_ISA)";
  return {};
}

int int8_weight_max() { return has_vnni() ? 127 : 63; }

struct PackedLinear::Impl {
  int IC, OC;
  Precision precision;
  Epilogue epilogue;
  dnnl::memory::desc weights_md;  // the layout the kChunkRows primitive chose
  dnnl::memory weights, bias;
  std::vector<float> weight_scales;  // int8: [OC], the dequantization factor per output channel
  std::vector<float> weight_sums;    // int8: [OC], the sum of each channel's s8 weights

  struct Built {
    dnnl::matmul primitive;
    dnnl::memory::desc scratchpad;
  };
  mutable std::mutex mutex;
  mutable std::unordered_map<int, Built> built;  // by M

  dnnl::matmul::primitive_desc describe(int M, const dnnl::memory::desc& weights_desc) const {
    const dnnl::memory::desc src({M, IC}, kernel_type(precision), dims{IC, 1});
    const dnnl::memory::desc bias_md({1, OC}, dt::f32, dims{OC, 1});
    const dnnl::memory::desc dst({M, OC}, dt::f32, dims{OC, 1});
    dnnl::primitive_attr attr;
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    dnnl::post_ops ops;
    // int8: the scales change with every call's activations, and oneDNN 2.6's brgemm
    // kernels take no run-time output scales or zero points (it falls back to a GEMM
    // that repacks the weights, slower than fp32). So the kernel sums the raw u8 * s8
    // products plus a per-call bias, and a binary post-op multiplies by the per-call
    // scales: dst = scale[o] * (sum + bias[o] / scale[o] - zero_point * weight_sum[o]).
    if (precision == Precision::int8) ops.append_binary(dnnl::algorithm::binary_mul, {{1, OC}, dt::f32, dims{OC, 1}});
    if (epilogue != Epilogue::none)
      ops.append_eltwise(1.0f, epilogue == Epilogue::gelu_erf ? dnnl::algorithm::eltwise_gelu_erf
                                                              : dnnl::algorithm::eltwise_gelu_tanh,
                         0.0f, 0.0f);
    attr.set_post_ops(ops);
    return dnnl::matmul::primitive_desc(dnnl::matmul::desc(src, weights_desc, bias_md, dst), attr, cpu_engine());
  }

  // Every M gets the weights' one layout: the kernel oneDNN picks for it reads that.
  // Built outside the lock (1-5 ms), so threads building other Ms do not wait; of two
  // built at once for one M the first kept wins.
  Built primitive(int M) const {
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (auto it = built.find(M); it != built.end()) return it->second;
    }
    const dnnl::matmul::primitive_desc pd = describe(M, weights_md);
    Built made{dnnl::matmul(pd), pd.scratchpad_desc()};
    std::lock_guard<std::mutex> lock(mutex);
    return built.emplace(M, std::move(made)).first->second;
  }
};

PackedLinear::PackedLinear(const float* weight, const float* bias, int IC, int OC, Precision precision,
                           Epilogue epilogue)
    : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.IC = IC;
  m.OC = OC;
  m.precision = precision;
  m.epilogue = epilogue;
  if (precision == Precision::bf16) {
    const std::string missing = bf16_missing_feature();
    if (!missing.empty()) throw Error("bf16 inference (--precision bf16) needs a CPU with " + missing + "; this one has neither");
  }
  // The weights as oneDNN's matmul sees them, [IC, OC], are torch's [OC, IC] transposed:
  // strides {1, IC}.
  const dnnl::memory::desc any({IC, OC}, weight_type(precision), dnnl::memory::format_tag::any);
  m.weights_md = m.describe(kChunkRows, any).weights_desc();
  m.weights = dnnl::memory(m.weights_md, cpu_engine());
  dnnl::stream& stream = thread_stream();

  std::vector<int8_t> quantized;
  const void* plain = weight;
  if (precision == Precision::int8) {
    // Symmetric per output channel, as quantize_dynamic's per_channel weights. Without
    // VNNI the products are summed in pairs into 16 bits (vpmaddubsw): 7-bit weights
    // keep 255 * 63 * 2 below 32767.
    const auto qmax = static_cast<float>(int8_weight_max());
    quantized.resize((size_t)OC * IC);
    m.weight_scales.resize(OC);
    m.weight_sums.assign(OC, 0.0f);
    for (int o = 0; o < OC; o++) {
      const float* row = weight + (size_t)o * IC;
      float amax = 0.0f;
      for (int i = 0; i < IC; i++) amax = std::max(amax, std::fabs(row[i]));
      const float scale = amax > 0.0f ? amax / qmax : 1.0f;
      m.weight_scales[o] = scale;
      for (int i = 0; i < IC; i++) {
        quantized[(size_t)o * IC + i] = static_cast<int8_t>(std::nearbyint(row[i] / scale));
        m.weight_sums[o] += quantized[(size_t)o * IC + i];
      }
    }
    plain = quantized.data();
  }
  // bf16: the reorder rounds the fp32 weights.
  const dt plain_type = precision == Precision::int8 ? dt::s8 : dt::f32;
  dnnl::memory source({{IC, OC}, plain_type, dims{1, IC}}, cpu_engine(), const_cast<void*>(plain));
  dnnl::reorder(source, m.weights).execute(stream, source, m.weights);
  m.bias = dnnl::memory({{1, OC}, dt::f32, dims{OC, 1}}, cpu_engine());
  std::memcpy(m.bias.get_data_handle(), bias, sizeof(float) * OC);
  stream.wait();
}

PackedLinear::~PackedLinear() = default;
PackedLinear::PackedLinear(PackedLinear&&) noexcept = default;
PackedLinear& PackedLinear::operator=(PackedLinear&&) noexcept = default;

int PackedLinear::in_features() const { return impl_->IC; }
int PackedLinear::out_features() const { return impl_->OC; }
Epilogue PackedLinear::epilogue() const { return impl_->epilogue; }

int PackedLinear::chunk_rows() { return kChunkRows; }

void PackedLinear::build(int rows) const {
  if (rows < 1 || rows > kChunkRows)
    throw Error("PackedLinear::build: " + std::to_string(rows) + " rows; a chunk has 1 to " + std::to_string(kChunkRows));
  impl_->primitive(rows);
}

void PackedLinear::forward(float* out, const float* inp, int T) const {
  const Impl& m = *impl_;
  if (T <= 0) return;
  const long n = (long)T * m.IC;
  ThreadBuffers& buf = thread_buffers();
  const void* src = inp;
  size_t src_row_bytes = sizeof(float) * m.IC;
  int32_t zero_point = 0;
  if (m.precision == Precision::bf16) {
    buf.bf16.resize(n);
    convert_bf16(buf.bf16.data(), inp, n);
    src = buf.bf16.data();
    src_row_bytes = sizeof(uint16_t) * m.IC;
  } else if (m.precision == Precision::int8) {
    // u8 = round(x / scale) + zero_point over the call's whole [T, IC], as ORT's
    // DynamicQuantizeLinear.
    const Range r = range_of(inp, n);
    const float scale = r.hi > r.lo ? (r.hi - r.lo) / 255.0f : 1.0f;
    zero_point = static_cast<int32_t>(std::clamp(std::nearbyint(-r.lo / scale), 0.0f, 255.0f));
    buf.u8.resize(n);
    quantize_u8(buf.u8.data(), inp, n, 1.0f / scale, static_cast<float>(zero_point));
    buf.scales.resize(m.OC);
    buf.bias.resize(m.OC);
    const auto* bias = static_cast<const float*>(m.bias.get_data_handle());
    for (int o = 0; o < m.OC; o++) {
      buf.scales[o] = scale * m.weight_scales[o];
      buf.bias[o] = bias[o] / buf.scales[o] - static_cast<float>(zero_point) * m.weight_sums[o];
    }
    src = buf.u8.data();
    src_row_bytes = m.IC;
  }

  dnnl::stream& stream = thread_stream();
  const dnnl::engine& engine = cpu_engine();
  dnnl::memory scales, bias = m.bias;
  if (m.precision == Precision::int8) {
    scales = dnnl::memory({{1, m.OC}, dt::f32, dims{m.OC, 1}}, engine, buf.scales.data());
    bias = dnnl::memory({{1, m.OC}, dt::f32, dims{m.OC, 1}}, engine, buf.bias.data());
  }
  for (int r0 = 0; r0 < T; r0 += kChunkRows) {
    const int rows = std::min(kChunkRows, T - r0);
    const Impl::Built prim = m.primitive(rows);
    if (buf.scratchpad.size() < prim.scratchpad.get_size()) buf.scratchpad.resize(prim.scratchpad.get_size());
    const auto* chunk_src = static_cast<const uint8_t*>(src) + (size_t)r0 * src_row_bytes;
    dnnl::memory src_mem({{rows, m.IC}, kernel_type(m.precision), dims{m.IC, 1}}, engine,
                         const_cast<uint8_t*>(chunk_src));
    dnnl::memory dst_mem({{rows, m.OC}, dt::f32, dims{m.OC, 1}}, engine, out + (size_t)r0 * m.OC);
    dnnl::memory pad(prim.scratchpad, engine, buf.scratchpad.data());
    std::unordered_map<int, dnnl::memory> args{{DNNL_ARG_SRC, src_mem},   {DNNL_ARG_WEIGHTS, m.weights},
                                               {DNNL_ARG_BIAS, bias},   {DNNL_ARG_DST, dst_mem},
                                               {DNNL_ARG_SCRATCHPAD, pad}};
    if (m.precision == Precision::int8) args.emplace(DNNL_ARG_ATTR_MULTIPLE_POST_OP(0) | DNNL_ARG_SRC_1, scales);
    prim.primitive.execute(stream, args);
  }
  stream.wait();
}

}  // namespace bertcls::tensor
