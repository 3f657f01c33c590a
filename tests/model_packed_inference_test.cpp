// Inference on prepacked weights (BertWeights::prepack) against the flat buffer's fp32
// path, on a tiny model fine-tuned on the keyword task: fp32 logits within 1e-5, int8
// and bf16 predictions mostly unchanged; training's forward ignores the packed copy.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "support/keyword_task.h"
#include "tensor/packed_linear.h"
#include "train/evaluation.h"

namespace bertcls::model {
namespace {

using test::KeywordTask;

class PackedInference : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    model_ = new BertClassifier(test::tiny_config(2), 7);
    const KeywordTask train(128, 1);
    train::fit(*model_, io::Task::SingleLabel, 2, train.data(), nullptr, test::fast_options());
    valid_ = new KeywordTask(200, 2);
    unpacked_ = new std::vector<float>(logits());
  }
  static void TearDownTestSuite() {
    delete model_;
    delete valid_;
    delete unpacked_;
  }
  static std::vector<float> logits() { return train::predict_logits(model_->weights(), model_->workspace(), valid_->encoded, 16); }
  static int label(const std::vector<float>& l, size_t i) { return l[2 * i + 1] > l[2 * i] ? 1 : 0; }
  // Fraction of examples whose predicted label is the unpacked path's.
  static double agreement(const std::vector<float>& l) {
    int same = 0;
    for (size_t i = 0; i < valid_->examples.size(); i++) same += label(l, i) == label(*unpacked_, i);
    return (double)same / valid_->examples.size();
  }
  static double max_deviation(const std::vector<float>& l) {
    double worst = 0.0;
    for (size_t i = 0; i < l.size(); i++) worst = std::max(worst, (double)std::fabs(l[i] - (*unpacked_)[i]));
    return worst;
  }

  static BertClassifier* model_;
  static KeywordTask* valid_;
  static std::vector<float>* unpacked_;
};
BertClassifier* PackedInference::model_ = nullptr;
KeywordTask* PackedInference::valid_ = nullptr;
std::vector<float>* PackedInference::unpacked_ = nullptr;

TEST_F(PackedInference, Fp32MatchesTheFlatBuffer) {
  model_->weights().prepack(tensor::Precision::fp32);
  EXPECT_LE(max_deviation(logits()), 1e-5);
}

TEST_F(PackedInference, Int8KeepsThePredictions) {
  model_->weights().prepack(tensor::Precision::int8);
  const std::vector<float> l = logits();
  EXPECT_GE(agreement(l), 0.97);
  std::cout << "int8: " << 100 * agreement(l) << "% of labels unchanged, largest logit deviation " << max_deviation(l) << "\n";
}

TEST_F(PackedInference, Bf16KeepsThePredictions) {
  const std::string missing = tensor::bf16_missing_feature();
  if (!missing.empty()) GTEST_SKIP() << "bf16 needs " << missing;
  model_->weights().prepack(tensor::Precision::bf16);
  const std::vector<float> l = logits();
  EXPECT_GE(agreement(l), 0.97);
  std::cout << "bf16: " << 100 * agreement(l) << "% of labels unchanged, largest logit deviation " << max_deviation(l) << "\n";
}

TEST_F(PackedInference, TrainingForwardIgnoresThePackedCopy) {
  model_->weights().prepack(tensor::Precision::int8);
  Batch batch;
  batch.ids = {1, 7, 12, 2, 1, 9, 2};
  batch.type_ids.assign(batch.ids.size(), 0);
  batch.offsets = {0, 4, 7};
  const auto kept = model_->forward(batch, {.backward = true});
  const std::vector<float> with_backward(kept.begin(), kept.end());
  BertClassifier fresh(test::tiny_config(2), 0);
  std::copy(model_->parameters().begin(), model_->parameters().end(), fresh.parameters().begin());
  const auto plain = fresh.forward(batch, {.backward = true});
  EXPECT_EQ(with_backward, std::vector<float>(plain.begin(), plain.end()));
}

}  // namespace
}  // namespace bertcls::model
