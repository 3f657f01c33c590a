// The packed dense layer of tensor/packed_linear.h against plain loops in double: fp32
// within float rounding, bf16 against the same products of bf16-rounded operands, int8
// against the same quantization done by hand (and against fp32 within the bound its
// rounding allows). Odd sizes, M = 1 and chunk tails (64 rows a primitive).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <thread>
#include <vector>

#include "tensor/packed_linear.h"
#include "support/random_vector.h"

namespace bertcls::tensor {
namespace {

constexpr int kRows[] = {1, 7, 63, 64, 65, 130};

using test::random_vector;

double apply(Epilogue e, double x) {
  switch (e) {
    case Epilogue::gelu_erf: return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)));
    case Epilogue::gelu_tanh: return 0.5 * x * (1.0 + std::tanh(std::sqrt(2.0 / M_PI) * (x + 0.044715 * x * x * x)));
    case Epilogue::none: break;
  }
  return x;
}

// out = epilogue(inp @ weight^T + bias) in double.
std::vector<double> reference(const std::vector<float>& inp, const std::vector<float>& weight,
                              const std::vector<float>& bias, int T, int IC, int OC, Epilogue e) {
  std::vector<double> out((size_t)T * OC);
  for (int t = 0; t < T; t++)
    for (int o = 0; o < OC; o++) {
      double s = bias[o];
      for (int i = 0; i < IC; i++) s += (double)inp[(size_t)t * IC + i] * weight[(size_t)o * IC + i];
      out[(size_t)t * OC + o] = apply(e, s);
    }
  return out;
}

float round_bf16(float x) {
  uint32_t u;
  std::memcpy(&u, &x, sizeof u);
  u = (u + 0x7FFFu + ((u >> 16) & 1u)) & 0xFFFF0000u;
  std::memcpy(&x, &u, sizeof u);
  return x;
}

double max_abs_diff(const std::vector<float>& got, const std::vector<double>& want) {
  double worst = 0.0;
  for (size_t i = 0; i < got.size(); i++) worst = std::max(worst, std::fabs(got[i] - want[i]));
  return worst;
}

struct Layer {
  int IC, OC;
  std::vector<float> weight, bias;
  Layer(int ic, int oc) : IC(ic), OC(oc), weight(random_vector((size_t)oc * ic, 1, 0.2f)), bias(random_vector(oc, 2)) {}
};

TEST(PackedLinear, Fp32MatchesPlainLoopForEveryEpilogueAndRowCount) {
  const Layer l(37, 53);
  for (Epilogue e : {Epilogue::none, Epilogue::gelu_erf, Epilogue::gelu_tanh}) {
    const PackedLinear packed(l.weight.data(), l.bias.data(), l.IC, l.OC, Precision::fp32, e);
    for (int T : kRows) {
      const std::vector<float> inp = random_vector((size_t)T * l.IC, 3 + T);
      std::vector<float> out((size_t)T * l.OC, NAN);
      packed.forward(out.data(), inp.data(), T);
      EXPECT_LE(max_abs_diff(out, reference(inp, l.weight, l.bias, T, l.IC, l.OC, e)), 2e-5)
          << "T " << T << " epilogue " << (int)e;
    }
  }
}

TEST(PackedLinear, NoRowsIsANoOp) {
  const Layer l(5, 3);
  const PackedLinear packed(l.weight.data(), l.bias.data(), l.IC, l.OC, Precision::fp32);
  packed.forward(nullptr, nullptr, 0);
}

TEST(PackedLinear, Int8IsDynamicQuantizationAsOnnxRuntimes) {
  const Layer l(45, 29);
  const int qmax = int8_weight_max();
  // Weights by hand: symmetric per output channel.
  std::vector<float> wq(l.weight.size()), wscale(l.OC);
  for (int o = 0; o < l.OC; o++) {
    float amax = 0.0f;
    for (int i = 0; i < l.IC; i++) amax = std::max(amax, std::fabs(l.weight[(size_t)o * l.IC + i]));
    wscale[o] = amax / qmax;
    for (int i = 0; i < l.IC; i++) wq[(size_t)o * l.IC + i] = std::nearbyint(l.weight[(size_t)o * l.IC + i] / wscale[o]);
  }
  for (Epilogue e : {Epilogue::none, Epilogue::gelu_erf}) {
    const PackedLinear packed(l.weight.data(), l.bias.data(), l.IC, l.OC, Precision::int8, e);
    for (int T : kRows) {
      // Shifted so the range is asymmetric and the zero point not 128.
      std::vector<float> inp = random_vector((size_t)T * l.IC, 10 + T);
      for (float& x : inp) x += 0.7f;
      float lo = 0.0f, hi = 0.0f;
      for (float x : inp) lo = std::min(lo, x), hi = std::max(hi, x);
      const float scale = (hi - lo) / 255.0f;
      const float zp = std::clamp(std::nearbyint(-lo / scale), 0.0f, 255.0f);
      const float inv = 1.0f / scale;
      std::vector<double> want((size_t)T * l.OC), fp32 = reference(inp, l.weight, l.bias, T, l.IC, l.OC, e);
      double bound = 0.0;
      for (int t = 0; t < T; t++)
        for (int o = 0; o < l.OC; o++) {
          double acc = 0.0, wabs = 0.0, xabs = 0.0;
          for (int i = 0; i < l.IC; i++) {
            const float x = inp[(size_t)t * l.IC + i];
            const float q = std::clamp(std::nearbyint(x * inv) + zp, 0.0f, 255.0f);
            acc += (double)(q - zp) * wq[(size_t)o * l.IC + i];
            wabs += std::fabs(l.weight[(size_t)o * l.IC + i]);
            xabs += std::fabs(x);
          }
          want[(size_t)t * l.OC + o] = apply(e, acc * scale * wscale[o] + l.bias[o]);
          // Each operand is off by at most half its step (GELU's slope is below 1.13).
          bound = std::max(bound, 1.13 * (0.5 * scale * wabs + 0.5 * wscale[o] * xabs + 0.25 * scale * wscale[o] * l.IC));
        }
      std::vector<float> out((size_t)T * l.OC, NAN);
      packed.forward(out.data(), inp.data(), T);
      EXPECT_LE(max_abs_diff(out, want), 1e-4) << "T " << T << " epilogue " << (int)e;
      EXPECT_LE(max_abs_diff(out, fp32), bound) << "T " << T << " epilogue " << (int)e;
    }
  }
}

TEST(PackedLinear, Bf16RoundsOperandsAndAccumulatesInFloat) {
  const std::string missing = bf16_missing_feature();
  if (!missing.empty()) GTEST_SKIP() << "bf16 needs " << missing;
  const Layer l(61, 19);
  std::vector<float> wb(l.weight.size());
  std::transform(l.weight.begin(), l.weight.end(), wb.begin(), round_bf16);
  const PackedLinear packed(l.weight.data(), l.bias.data(), l.IC, l.OC, Precision::bf16, Epilogue::gelu_erf);
  for (int T : kRows) {
    const std::vector<float> inp = random_vector((size_t)T * l.IC, 20 + T);
    std::vector<float> ib(inp.size());
    std::transform(inp.begin(), inp.end(), ib.begin(), round_bf16);
    std::vector<float> out((size_t)T * l.OC, NAN);
    packed.forward(out.data(), inp.data(), T);
    EXPECT_LE(max_abs_diff(out, reference(ib, wb, l.bias, T, l.IC, l.OC, Epilogue::gelu_erf)), 2e-5) << "T " << T;
    // bf16 keeps 8 bits of mantissa: each product is off by under 2^-8 of its size.
    EXPECT_LE(max_abs_diff(out, reference(inp, l.weight, l.bias, T, l.IC, l.OC, Epilogue::gelu_erf)), 0.1) << "T " << T;
  }
}

TEST(PackedLinear, Bf16RefusedNamingTheMissingFeature) {
  const std::string missing = bf16_missing_feature();
  if (missing.empty()) GTEST_SKIP() << "this CPU runs bf16";
  const Layer l(8, 8);
  try {
    PackedLinear(l.weight.data(), l.bias.data(), l.IC, l.OC, Precision::bf16);
    FAIL() << "bf16 accepted without " << missing;
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find(missing), std::string::npos) << e.what();
  }
}

TEST(PackedLinear, ThreadsShareOneLayer) {
  const Layer l(40, 24);
  const PackedLinear packed(l.weight.data(), l.bias.data(), l.IC, l.OC, Precision::int8);
  std::vector<std::vector<float>> inputs, outputs(4);
  for (int k = 0; k < 4; k++) inputs.push_back(random_vector((size_t)(50 + 30 * k) * l.IC, 40 + k));
  std::vector<std::thread> threads;
  for (int k = 0; k < 4; k++)
    threads.emplace_back([&, k] {
      const int T = 50 + 30 * k;
      outputs[k].assign((size_t)T * l.OC, NAN);
      for (int rep = 0; rep < 20; rep++) packed.forward(outputs[k].data(), inputs[k].data(), T);
    });
  for (std::thread& t : threads) t.join();
  for (int k = 0; k < 4; k++) {
    const int T = 50 + 30 * k;
    std::vector<float> alone((size_t)T * l.OC);
    packed.forward(alone.data(), inputs[k].data(), T);
    EXPECT_EQ(outputs[k], alone) << "thread " << k;
  }
}

}  // namespace
}  // namespace bertcls::tensor
