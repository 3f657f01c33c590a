#include "train/regression_metrics.h"

#include <cmath>
#include <limits>
#include <string>

#include <bertcls/error.h>

namespace bertcls::train {

RegressionMetrics regression_metrics(std::span<const float> y_true, std::span<const float> y_pred) {
  if (y_true.size() != y_pred.size())
    throw Error("metrics: " + std::to_string(y_true.size()) + " targets but " + std::to_string(y_pred.size()) +
                " predictions");
  if (y_true.empty()) throw Error("metrics: no examples");
  const auto n = static_cast<double>(y_true.size());
  double mean_t = 0.0, mean_p = 0.0;
  RegressionMetrics m;
  for (std::size_t i = 0; i < y_true.size(); ++i) {
    const double d = static_cast<double>(y_pred[i]) - y_true[i];
    m.mse += d * d;
    m.mae += std::fabs(d);
    mean_t += y_true[i];
    mean_p += y_pred[i];
  }
  m.mse /= n;
  m.mae /= n;
  mean_t /= n;
  mean_p /= n;
  // Centred sums in a second pass: the one-pass formula cancels badly for large means.
  double cov = 0.0, var_t = 0.0, var_p = 0.0;
  for (std::size_t i = 0; i < y_true.size(); ++i) {
    const double dt = y_true[i] - mean_t, dp = y_pred[i] - mean_p;
    cov += dt * dp;
    var_t += dt * dt;
    var_p += dp * dp;
  }
  m.pearson = var_t > 0.0 && var_p > 0.0 ? cov / std::sqrt(var_t * var_p) : std::numeric_limits<double>::quiet_NaN();
  return m;
}

}  // namespace bertcls::train
