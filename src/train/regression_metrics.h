// Regression evaluation: mean squared error, mean absolute error and Pearson's r
// (scipy.stats.pearsonr's statistic), accumulated in double.
#pragma once

#include <span>

#include <bertcls/metrics.h>

namespace bertcls::train {

// Throws bertcls::Error for mismatched lengths or no examples.
RegressionMetrics regression_metrics(std::span<const float> y_true, std::span<const float> y_pred);

}  // namespace bertcls::train
