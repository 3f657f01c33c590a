// The machine's fp32 GEMM roofline at the sizes a training step of a model uses, measured
// through the engine's own seam (tensor::gemm, all threads): for each dense layer of an
// encoder layer (fused QKV C -> 3C, attention output C -> C, intermediate C -> I, output
// I -> C) its forward product and both backward products (input and weight gradients),
// on T tokens. Prints one JSON line for bench/run.py: GFLOP/s of each shape (best of
// REPEATS), the best of them (the peak used for model-FLOPs utilisation) and the rate of
// the whole mix (one of each, as one layer's step runs them). Then the same four forward
// products through inference's kernel (tensor::PackedLinear, fp32, weights packed once,
// 64-row chunks): the roofline inference's share of the peak is read against, since
// inference no longer runs on tensor::gemm. With SINGLE_TOKENS, also the packed kernel's
// rate over the four forward products of one text of that many tokens (the M a
// single-text request runs at): the floor its latency cannot go below. Where the CPU has
// bf16, also the packed bf16 kernel's peak on the four forward shapes (0 elsewhere).
//
//   bench/gemm_peak CONFIG_JSON [TOKENS=800] [REPEATS=5] [SINGLE_TOKENS=0]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "hf/model_config.h"
#include "tensor/gemm.h"
#include "tensor/packed_linear.h"

using namespace bertcls;
using tensor::Trans;

namespace {

struct Shape {
  const char* what;
  Trans ta, tb;
  int m, n, k;
};

// Best wall time of `repeats` products C[m,n] = op(A) op(B), operands row-major and
// shaped as the engine's linear layers pass them.
double best_seconds(const Shape& s, int repeats) {
  const int rows_a = s.ta == Trans::no ? s.m : s.k, cols_a = s.ta == Trans::no ? s.k : s.m;
  const int rows_b = s.tb == Trans::no ? s.k : s.n, cols_b = s.tb == Trans::no ? s.n : s.k;
  std::vector<float> a(static_cast<std::size_t>(rows_a) * cols_a, 0.5f), b(static_cast<std::size_t>(rows_b) * cols_b, 0.25f);
  std::vector<float> c(static_cast<std::size_t>(s.m) * s.n);
  double best = 1e30;
  for (int r = 0; r < repeats + 1; ++r) {  // the first call also pages the buffers in
    const auto t0 = std::chrono::steady_clock::now();
    tensor::gemm(s.ta, s.tb, s.m, s.n, s.k, 1.0f, a.data(), cols_a, b.data(), cols_b, 0.0f, c.data(), s.n);
    const double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (r > 0) best = std::min(best, t);
  }
  return best;
}

// Best wall time of `repeats` inference products out[T, out] = in[T, in] W^T + b through
// the packed kernel.
double best_packed_seconds(int T, int in, int out, int repeats, tensor::Precision precision = tensor::Precision::fp32) {
  const std::vector<float> w(static_cast<std::size_t>(out) * in, 0.25f), bias(out, 0.0f),
      x(static_cast<std::size_t>(T) * in, 0.5f);
  std::vector<float> y(static_cast<std::size_t>(T) * out);
  const tensor::PackedLinear layer(w.data(), bias.data(), in, out, precision);
  double best = 1e30;
  for (int r = 0; r < repeats + 1; ++r) {  // the first call also builds the kernels
    const auto t0 = std::chrono::steady_clock::now();
    layer.forward(y.data(), x.data(), T);
    const double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (r > 0) best = std::min(best, t);
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: gemm_peak CONFIG_JSON [TOKENS=800] [REPEATS=5] [SINGLE_TOKENS=0]\n");
    return 2;
  }
  const model::BertConfig config = hf::read_model_config(argv[1]).bert;
  const int T = argc > 2 ? std::stoi(argv[2]) : 800, repeats = argc > 3 ? std::stoi(argv[3]) : 5;
  const int single = argc > 4 ? std::stoi(argv[4]) : 0;
  const int C = config.hidden_size, I = config.intermediate_size;

  std::vector<Shape> shapes;
  const struct {
    const char* name;
    int in, out;
  } layers[] = {{"qkv", C, 3 * C}, {"attn_out", C, C}, {"fc1", C, I}, {"fc2", I, C}};
  for (const auto& l : layers) {
    shapes.push_back({l.name, Trans::no, Trans::yes, T, l.out, l.in});  // out = in W^T
    shapes.push_back({l.name, Trans::no, Trans::no, T, l.in, l.out});   // d in = d out W
    shapes.push_back({l.name, Trans::yes, Trans::no, l.out, l.in, T});  // d W = d out^T in
  }
  const char* pass[] = {"forward", "dinput", "dweight"};

  double peak = 0, flops_total = 0, seconds_total = 0;
  std::string rows;
  for (std::size_t i = 0; i < shapes.size(); ++i) {
    const Shape& s = shapes[i];
    const double flops = 2.0 * s.m * s.n * s.k, seconds = best_seconds(s, repeats);
    peak = std::max(peak, flops / seconds);
    flops_total += flops;
    seconds_total += seconds;
    char row[160];
    std::snprintf(row, sizeof row, "%s{\"layer\": \"%s\", \"pass\": \"%s\", \"mnk\": [%d, %d, %d], \"gflops\": %.1f}",
                  i ? ", " : "", s.what, pass[i % 3], s.m, s.n, s.k, flops / seconds / 1e9);
    rows += row;
  }
  double packed_peak = 0;
  std::string packed_rows;
  for (const auto& l : layers) {
    const double flops = 2.0 * T * l.in * l.out, seconds = best_packed_seconds(T, l.in, l.out, repeats);
    packed_peak = std::max(packed_peak, flops / seconds);
    char row[160];
    std::snprintf(row, sizeof row, "%s{\"layer\": \"%s\", \"mnk\": [%d, %d, %d], \"gflops\": %.1f}",
                  packed_rows.empty() ? "" : ", ", l.name, T, l.out, l.in, flops / seconds / 1e9);
    packed_rows += row;
  }
  // The bf16 kernel's peak on the same shapes, where the CPU has it: what bf16 inference's
  // speed-up over fp32 is bounded by.
  double bf16_peak = 0;
  if (tensor::bf16_missing_feature().empty())
    for (const auto& l : layers)
      bf16_peak = std::max(bf16_peak, 2.0 * T * l.in * l.out /
                                          best_packed_seconds(T, l.in, l.out, repeats, tensor::Precision::bf16));
  double single_flops = 0, single_seconds = 0;
  if (single > 0)
    for (const auto& l : layers) {
      single_flops += 2.0 * single * l.in * l.out;
      single_seconds += best_packed_seconds(single, l.in, l.out, 4 * repeats);
    }
  std::printf("{\"peak_gflops\": %.1f, \"mix_gflops\": %.1f, \"tokens\": %d, \"shapes\": [%s], "
              "\"packed_peak_gflops\": %.1f, \"packed_shapes\": [%s], \"single_tokens\": %d, "
              "\"packed_single_mix_gflops\": %.1f, \"packed_bf16_peak_gflops\": %.1f}\n",
              peak / 1e9, flops_total / seconds_total / 1e9, T, rows.c_str(), packed_peak / 1e9, packed_rows.c_str(),
              single, single > 0 ? single_flops / single_seconds / 1e9 : 0.0, bf16_peak / 1e9);
  return 0;
}
