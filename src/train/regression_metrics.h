// Regression evaluation: mean squared error, mean absolute error and Pearson's r
// (scipy.stats.pearsonr's statistic), accumulated in double.
#pragma once

#include <span>

namespace bertcls::train {

struct RegressionMetrics {
  double mse = 0.0;
  double mae = 0.0;
  double pearson = 0.0;  // NaN when either side is constant (r is undefined), as scipy gives
};

// Throws bertcls::Error for mismatched lengths or no examples.
RegressionMetrics regression_metrics(std::span<const float> y_true, std::span<const float> y_pred);

}  // namespace bertcls::train
