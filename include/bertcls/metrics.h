// What an evaluation measures, with sklearn's semantics (zero_division=0): the plain
// result types of the public API (Classifier::evaluate, FineTune's epoch reports).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <bertcls/data.h>

namespace bertcls {

struct ClassScores {
  double precision = 0.0;  // tp / (tp + fp); 0 when nothing was predicted as the class
  double recall = 0.0;     // tp / (tp + fn); 0 when the class has no true examples
  double f1 = 0.0;         // 2tp / (2tp + fp + fn); 0 when that is 0/0
  std::size_t support = 0; // true examples of the class (for averages: all examples)
};

// Single-label (classification_report, precision_recall_fscore_support, confusion_matrix).
struct ClassificationMetrics {
  double accuracy = 0.0;
  // Macro: the unweighted mean over the classes that occur in y_true or y_pred, as
  // sklearn does when it is not given labels (a class absent from both would otherwise
  // count as a 0). Weighted: the mean weighted by support.
  ClassScores macro, weighted;
  std::vector<ClassScores> per_class;               // one per class id, all of them
  std::vector<std::vector<std::size_t>> confusion;  // [true class][predicted class]
};

// Multi-label, for label-indicator data: micro averages pool the counts over all labels,
// macro averages every label; subset accuracy: the predicted set equals the true set.
struct MultiLabelMetrics {
  double subset_accuracy = 0.0;
  ClassScores micro, macro;            // support: label occurrences in y_true
  std::vector<ClassScores> per_label;  // one per label id
};

// Regression, accumulated in double.
struct RegressionMetrics {
  double mse = 0.0;
  double mae = 0.0;
  double pearson = 0.0;  // NaN when either side is constant (r is undefined), as scipy gives
};

// What picks the best epoch. Auto is the task's own: accuracy, micro F1 for multi-label,
// -MSE for regression; Accuracy is subset accuracy for multi-label.
enum class SelectionMetric { Auto, Accuracy, F1Macro, Loss };

struct EvalResult {
  Task task = Task::SingleLabel;
  double loss = 0.0;  // mean per example of the head's loss (unweighted)
  std::size_t examples = 0;
  std::size_t skipped_rows = 0;            // malformed rows dropped (DataOptions::skip_bad_rows)
  std::vector<std::string> skip_reasons;  // the first few, in file order
  ClassificationMetrics classification;  // single-label
  MultiLabelMetrics multilabel;          // multi-label: a label is predicted when its logit > 0
  RegressionMetrics regression;          // regression

  // Higher is better: the metric's value, or minus the loss. Throws Error when the task
  // has no such metric (regression: no accuracy or F1).
  double score(SelectionMetric metric = SelectionMetric::Auto) const;
  // "loss 0.5123 accuracy 0.7345 macro-f1 0.7210" and the like.
  std::string summary() const;
};

// Progress of a fine-tuning run, after each optimizer step.
struct StepReport {
  std::int64_t epoch = 0, epochs = 0;             // 1-based epoch, planned epochs
  std::int64_t step = 0, total_steps = 0;
  std::int64_t batch = 0, batches_per_epoch = 0;  // batches of this epoch done
  double loss = 0.0;                              // mean batch loss of the epoch so far
  double lr = 0.0, grad_norm = 0.0;               // of this step (norm before clipping)
  double samples_per_second = 0.0;                // the epoch so far
  // Data-parallel runs: this step's seconds in messages between processes (waiting for
  // a slower one included) and the bytes this process sent; 0 for one process.
  double communication_seconds = 0.0;
  std::uint64_t bytes_sent = 0;
};

// An epoch of a fine-tuning run, after its validation.
struct EpochReport {
  std::int64_t epoch = 0;            // 1-based
  std::int64_t steps = 0;            // optimizer steps taken so far in the run
  double train_loss = 0.0;           // mean of the epoch's batch losses
  double seconds = 0.0;              // training time of the epoch, without evaluation
  double samples_per_second = 0.0;
  std::optional<EvalResult> valid;   // when a validation set was given
  bool best = false;                 // selection metric improved (always true without valid)
};

}  // namespace bertcls
