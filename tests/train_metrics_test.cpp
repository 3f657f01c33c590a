// Evaluation metrics against values worked out by hand (sklearn semantics, zero_division=0).
#include <gtest/gtest.h>

#include <cmath>

#include <bertcls/error.h>
#include "train/classification_metrics.h"
#include "train/multilabel_metrics.h"
#include "train/regression_metrics.h"

namespace bertcls::train {
namespace {

// y_true = 0 0 0 1 1 2, y_pred = 0 0 1 1 2 2, and a class 3 that never occurs.
//   class 0: tp 2 fp 0 fn 1 -> P 1,   R 2/3, F1 4/5, support 3
//   class 1: tp 1 fp 1 fn 1 -> P 1/2, R 1/2, F1 1/2, support 2
//   class 2: tp 1 fp 1 fn 0 -> P 1/2, R 1,   F1 2/3, support 1
const std::vector<int> kTrue{0, 0, 0, 1, 1, 2};
const std::vector<int> kPred{0, 0, 1, 1, 2, 2};

TEST(TrainMetrics, PerClassScoresAndAccuracy) {
  const auto m = classification_metrics(kTrue, kPred, 4);
  EXPECT_DOUBLE_EQ(m.accuracy, 4.0 / 6);
  ASSERT_EQ(m.per_class.size(), 4u);
  EXPECT_DOUBLE_EQ(m.per_class[0].precision, 1.0);
  EXPECT_DOUBLE_EQ(m.per_class[0].recall, 2.0 / 3);
  EXPECT_DOUBLE_EQ(m.per_class[0].f1, 0.8);
  EXPECT_EQ(m.per_class[0].support, 3u);
  EXPECT_DOUBLE_EQ(m.per_class[1].f1, 0.5);
  EXPECT_DOUBLE_EQ(m.per_class[2].recall, 1.0);
  EXPECT_DOUBLE_EQ(m.per_class[2].f1, 2.0 / 3);
  EXPECT_EQ(m.per_class[3].support, 0u);
  EXPECT_DOUBLE_EQ(m.per_class[3].f1, 0.0);
}

TEST(TrainMetrics, MacroAveragesOverOccurringClassesAndWeightedBySupport) {
  const auto m = classification_metrics(kTrue, kPred, 4);
  // Macro over classes 0-2 (class 3 occurs in neither y_true nor y_pred).
  EXPECT_DOUBLE_EQ(m.macro.precision, 2.0 / 3);
  EXPECT_DOUBLE_EQ(m.macro.recall, (2.0 / 3 + 0.5 + 1.0) / 3);
  EXPECT_DOUBLE_EQ(m.macro.f1, (0.8 + 0.5 + 2.0 / 3) / 3);  // 0.65556
  // Weighted: (3 P0 + 2 P1 + 1 P2) / 6; weighted recall equals accuracy.
  EXPECT_DOUBLE_EQ(m.weighted.precision, 0.75);
  EXPECT_DOUBLE_EQ(m.weighted.recall, 4.0 / 6);
  EXPECT_DOUBLE_EQ(m.weighted.f1, (3 * 0.8 + 2 * 0.5 + 2.0 / 3) / 6);  // 0.67778
  EXPECT_EQ(m.macro.support, 6u);
}

TEST(TrainMetrics, ClassNeverPredictedHasZeroPrecisionNotNan) {
  const auto m = classification_metrics(std::vector<int>{0, 1}, std::vector<int>{0, 0}, 2);
  EXPECT_EQ(m.per_class[1].precision, 0.0);
  EXPECT_EQ(m.per_class[1].f1, 0.0);
  EXPECT_DOUBLE_EQ(m.macro.f1, (2.0 / 3 + 0.0) / 2);
}

TEST(TrainMetrics, ConfusionMatrixRowsAreTrueColumnsPredicted) {
  const auto m = classification_metrics(kTrue, kPred, 3);
  const std::vector<std::vector<std::size_t>> want{{2, 1, 0}, {0, 1, 1}, {0, 0, 1}};
  EXPECT_EQ(m.confusion, want);
}

TEST(TrainMetrics, ReportHasSklearnLayoutAndConfusionMatrix) {
  const auto m = classification_metrics(kTrue, kPred, 3);
  const std::string r = format_classification_report(m, {"neg", "neu", "pos"});
  EXPECT_NE(r.find("         neg    1.0000    0.6667    0.8000         3\n"), std::string::npos) << r;
  EXPECT_NE(r.find("    accuracy                        0.6667         6\n"), std::string::npos) << r;
  EXPECT_NE(r.find("   macro avg    0.6667    0.7222    0.6556         6\n"), std::string::npos) << r;
  EXPECT_NE(r.find("weighted avg    0.7500    0.6667    0.6778         6\n"), std::string::npos) << r;
  EXPECT_NE(r.find("         neg         2         1         0\n"), std::string::npos) << r;
}

TEST(TrainMetrics, RejectsBadInput) {
  EXPECT_THROW(classification_metrics(std::vector<int>{0}, std::vector<int>{0, 1}, 2), Error);
  EXPECT_THROW(classification_metrics(std::vector<int>{0}, std::vector<int>{2}, 2), Error);
  EXPECT_THROW(classification_metrics(std::vector<int>{}, std::vector<int>{}, 2), Error);
}

TEST(TrainMetrics, MultiLabelMicroMacroAndPerLabel) {
  // label 0: tp 2 fp 0 fn 0 -> F1 1; label 1: tp 1 fp 1 fn 1 -> 1/2; label 2: tp 0 fp 1 fn 1 -> 0.
  // Pooled: tp 3 fp 2 fn 2 -> micro P = R = F1 = 0.6. Only the last row matches exactly.
  const std::vector<std::vector<int>> t{{0, 1}, {1}, {}, {2}, {0}};
  const std::vector<std::vector<int>> p{{0}, {2, 1}, {1}, {}, {0}};
  const auto m = multilabel_metrics(t, p, 3);
  EXPECT_DOUBLE_EQ(m.per_label[0].f1, 1.0);
  EXPECT_EQ(m.per_label[0].support, 2u);
  EXPECT_DOUBLE_EQ(m.per_label[1].precision, 0.5);
  EXPECT_DOUBLE_EQ(m.per_label[2].f1, 0.0);
  EXPECT_DOUBLE_EQ(m.micro.precision, 0.6);
  EXPECT_DOUBLE_EQ(m.micro.recall, 0.6);
  EXPECT_DOUBLE_EQ(m.micro.f1, 0.6);
  EXPECT_EQ(m.micro.support, 5u);
  EXPECT_DOUBLE_EQ(m.macro.f1, 0.5);
  EXPECT_DOUBLE_EQ(m.subset_accuracy, 0.2);
  EXPECT_THROW(multilabel_metrics(t, p, 2), Error);
}

TEST(TrainMetrics, RegressionMseMaeAndPearson) {
  // errors 0.5 0 -1 1: MSE 2.25/4, MAE 2.5/4; r = 5.25 / sqrt(5 * 7.6875) = 0.846801730...
  const std::vector<float> y{1, 2, 3, 4}, p{1.5f, 2, 2, 5};
  const auto m = regression_metrics(y, p);
  EXPECT_DOUBLE_EQ(m.mse, 0.5625);
  EXPECT_DOUBLE_EQ(m.mae, 0.625);
  EXPECT_NEAR(m.pearson, 0.8468017304727874, 1e-12);
  EXPECT_TRUE(std::isnan(regression_metrics(y, std::vector<float>(4, 1.0f)).pearson));
  EXPECT_THROW(regression_metrics(y, std::vector<float>{1}), Error);
}

}  // namespace
}  // namespace bertcls::train
