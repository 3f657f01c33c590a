// Single-label evaluation with sklearn's semantics (classification_report,
// precision_recall_fscore_support, confusion_matrix; zero_division=0): what
// `bertcls eval` prints and what picks the best checkpoint.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include <bertcls/metrics.h>

namespace bertcls::train {

// Class ids in [0, num_classes); throws bertcls::Error for an id outside, mismatched
// lengths or no examples.
ClassificationMetrics classification_metrics(std::span<const int> y_true, std::span<const int> y_pred,
                                             int num_classes);

// sklearn's classification_report layout (4 decimals), followed by the confusion matrix
// with rows = true class and columns = predicted class. names[i] names class i.
std::string format_classification_report(const ClassificationMetrics& m, const std::vector<std::string>& names);

}  // namespace bertcls::train
