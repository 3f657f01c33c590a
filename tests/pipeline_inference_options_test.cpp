// InferenceOptions through Classifier::load: every precision the CPU has scores the
// texts as fp32 does within its rounding, one it lacks is refused naming the feature,
// and int8 with bf16 is refused.
#include <gtest/gtest.h>

#include <bertcls/classifier.h>

#include <algorithm>
#include <cmath>

#include "support/io_test_support.h"
#include "support/tiny_model.h"
#include "tensor/packed_linear.h"

namespace bertcls {
namespace {

const std::vector<std::string> kTexts = {"какой хороший день", "всё плохо", "очень длинный текст который не поместится",
                                         "день"};

double max_score_deviation(const std::vector<Prediction>& a, const std::vector<Prediction>& b) {
  double worst = 0.0;
  for (size_t i = 0; i < a.size(); i++)
    for (size_t k = 0; k < a[i].scores.size(); k++)
      worst = std::max(worst, (double)std::fabs(a[i].scores[k] - b[i].scores[k]));
  return worst;
}

TEST(InferenceOptions, EveryPrecisionScoresAsFp32WithinItsRounding) {
  const test::ScratchDir dir;
  const std::string model = test::make_tiny_model_folder(dir / "model").string();
  const std::vector<Prediction> fp32 = Classifier::load(model).predict(kTexts);
  const std::vector<Prediction> int8 = Classifier::load(model, {}, {.quantize = Quantization::Int8}).predict(kTexts);
  EXPECT_LE(max_score_deviation(fp32, int8), 0.05);
  if (tensor::bf16_missing_feature().empty()) {
    const std::vector<Prediction> bf16 = Classifier::load(model, {}, {.precision = Precision::BFloat16}).predict(kTexts);
    EXPECT_LE(max_score_deviation(fp32, bf16), 0.05);
  }
}

TEST(InferenceOptions, RefusedWhereTheyCannotRun) {
  const test::ScratchDir dir;
  const std::string model = test::make_tiny_model_folder(dir / "model").string();
  test::expect_error([&] { Classifier::load(model, {}, {Precision::BFloat16, Quantization::Int8}); },
                     {"--quantize int8", "--precision bf16"});
  const std::string missing = tensor::bf16_missing_feature();
  if (missing.empty()) GTEST_SKIP() << "this CPU runs bf16";
  test::expect_error([&] { Classifier::load(model, {}, {.precision = Precision::BFloat16}); }, {"--precision bf16", missing});
}

}  // namespace
}  // namespace bertcls
