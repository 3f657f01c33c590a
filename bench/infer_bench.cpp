// Inference speed of bertcls::Classifier (tokenization included, as `bertcls predict` and
// `serve` run it): throughput over N texts at batch 32 (the classifier sorts them by
// length and packs each batch), the median of ROUNDS passes; then single-text latency,
// one predict() call per text for LATENCY texts, p50 and p99. A warm-up pass is not
// timed. Prints one JSON line for bench/run.py. PRECISION picks the dense layers' number
// format (InferenceOptions): fp32, bf16 or int8.
//
//   bench/infer_bench MODEL_DIR TEXTS_FILE [N=1024] [ROUNDS=3] [LATENCY=200] [PRECISION=fp32]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <bertcls/classifier.h>

#include "tensor/cpu_features.h"

using namespace bertcls;
using Clock = std::chrono::steady_clock;

static double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// The q-quantile (0..1) of a sample, nearest rank.
static double quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))];
}

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: infer_bench MODEL_DIR TEXTS_FILE [N=1024] [ROUNDS=3] [LATENCY=200] [PRECISION=fp32]\n");
    return 2;
  }
  const std::size_t n = argc > 3 ? std::stoul(argv[3]) : 1024;
  const int rounds = argc > 4 ? std::stoi(argv[4]) : 3;
  const std::size_t latency_texts = argc > 5 ? std::stoul(argv[5]) : 200;

  const std::string precision = argc > 6 ? argv[6] : "fp32";
  if (precision != "fp32" && precision != "bf16" && precision != "int8") {
    std::fprintf(stderr, "infer_bench: PRECISION is fp32, bf16 or int8, not %s\n", precision.c_str());
    return 2;
  }
  InferenceOptions inference;
  if (precision == "bf16") inference.precision = Precision::BFloat16;
  if (precision == "int8") inference.quantize = Quantization::Int8;

  const Classifier classifier = Classifier::load(argv[1], {}, inference);
  std::vector<TextInput> texts;
  std::ifstream f(argv[2], std::ios::binary);
  for (std::string line; std::getline(f, line) && texts.size() < std::max(n, latency_texts);)
    texts.push_back({line, std::nullopt});
  if (texts.size() < std::max(n, latency_texts)) {
    std::fprintf(stderr, "infer_bench: %s has fewer than %zu lines\n", argv[2], std::max(n, latency_texts));
    return 2;
  }
  const std::vector<TextInput> batch_texts(texts.begin(), texts.begin() + static_cast<long>(n));

  classifier.predict_inputs(std::vector<TextInput>(texts.begin(), texts.begin() + 32));  // warm-up: arena, thread pool, caches
  std::vector<double> pass_seconds;
  for (int r = 0; r < rounds; ++r) {
    const auto t0 = Clock::now();
    classifier.predict_inputs(batch_texts, 32);
    pass_seconds.push_back(seconds_since(t0));
  }
  std::vector<double> latency_ms;
  for (std::size_t i = 0; i < latency_texts; ++i) {
    const auto t0 = Clock::now();
    classifier.predict_inputs(std::vector<TextInput>{texts[i]}, 1);
    latency_ms.push_back(1e3 * seconds_since(t0));
  }
  std::printf("{\"texts_per_s\": %.2f, \"p50_ms\": %.3f, \"p99_ms\": %.3f, \"kernels\": \"%s\", \"precision\": \"%s\"}\n",
              static_cast<double>(n) / quantile(pass_seconds, 0.5), quantile(latency_ms, 0.5),
              quantile(latency_ms, 0.99), tensor::hot_kernel_isa(), precision.c_str());
  return 0;
}
