// Single-label evaluation with sklearn's semantics (classification_report,
// precision_recall_fscore_support, confusion_matrix; zero_division=0): what
// `bertcls eval` prints and what picks the best checkpoint.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace bertcls::train {

struct ClassScores {
  double precision = 0.0;  // tp / (tp + fp); 0 when nothing was predicted as the class
  double recall = 0.0;     // tp / (tp + fn); 0 when the class has no true examples
  double f1 = 0.0;         // 2tp / (2tp + fp + fn); 0 when that is 0/0
  std::size_t support = 0; // true examples of the class (for averages: all examples)
};

struct ClassificationMetrics {
  double accuracy = 0.0;
  // Macro: the unweighted mean over the classes that occur in y_true or y_pred, as
  // sklearn does when it is not given labels (a class absent from both would otherwise
  // count as a 0). Weighted: the mean weighted by support.
  ClassScores macro, weighted;
  std::vector<ClassScores> per_class;               // one per class id, all of them
  std::vector<std::vector<std::size_t>> confusion;  // [true class][predicted class]
};

// Class ids in [0, num_classes); throws bertcls::Error for an id outside, mismatched
// lengths or no examples.
ClassificationMetrics classification_metrics(std::span<const int> y_true, std::span<const int> y_pred,
                                             int num_classes);

// sklearn's classification_report layout (4 decimals), followed by the confusion matrix
// with rows = true class and columns = predicted class. names[i] names class i.
std::string format_classification_report(const ClassificationMetrics& m, const std::vector<std::string>& names);

}  // namespace bertcls::train
