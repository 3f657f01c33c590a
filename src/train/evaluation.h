// Running a classifier over encoded examples: logits in input order, and the metrics of
// the dataset's task (what `bertcls eval` prints and what picks the best epoch).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "io/dataset.h"
#include "model/batch.h"
#include "model/bert_classifier.h"
#include "train/batching.h"
#include "train/classification_metrics.h"
#include "train/encoded_examples.h"
#include "train/multilabel_metrics.h"
#include "train/regression_metrics.h"

namespace bertcls::train {

// The engine's head for a task; the trainer and eval fix it in the model's config.
model::ProblemType problem_type_of(io::Task task);

// Checks the model's head fits the task and labels (K classes or labels; 1 output for
// regression) and fixes the config's problem_type to the task's. Throws bertcls::Error.
void prepare_head(model::BertClassifier& model, io::Task task, int num_labels);

// Packs the examples of `indices` into `batch` (cleared first), with the labels the task's
// loss needs when `examples` is given: class ids, multi-hot rows of num_labels, or targets.
void fill_batch(model::Batch& batch, const Batch& indices, const EncodedExamples& encoded,
                const std::vector<io::Example>* examples, io::Task task, int num_labels);

// What picks the best epoch (--metric). Auto is the task's own: accuracy, micro F1 for
// multi-label, -MSE for regression; Accuracy is subset accuracy for multi-label.
enum class SelectionMetric { Auto, Accuracy, F1Macro, Loss };

// "auto", "accuracy", "f1_macro" or "loss"; throws bertcls::Error naming --metric.
SelectionMetric parse_selection_metric(std::string_view name);

// Throws bertcls::Error when the task has no such metric (regression: no accuracy or F1).
void check_selection_metric(SelectionMetric metric, io::Task task);

struct EvalResult {
  io::Task task = io::Task::SingleLabel;
  double loss = 0.0;  // mean per example of the head's loss (unweighted)
  ClassificationMetrics classification;  // single-label
  MultiLabelMetrics multilabel;          // multi-label: a label is predicted when its logit > 0
  RegressionMetrics regression;          // regression

  // Higher is better: the metric's value, or minus the loss.
  double score(SelectionMetric metric = SelectionMetric::Auto) const;
  // "loss 0.5123 accuracy 0.7345 macro-f1 0.7210" and the like.
  std::string summary() const;
};

// Logits [N, K] in input order; batches are sorted by length (make_eval_batches), no
// dropout, no gradients.
std::vector<float> predict_logits(model::BertClassifier& model, const EncodedExamples& encoded, std::size_t batch_size);

// Metrics of the model on labelled examples; prepare_head must agree with the task.
EvalResult evaluate(model::BertClassifier& model, const std::vector<io::Example>& examples,
                    const EncodedExamples& encoded, io::Task task, std::size_t batch_size);

}  // namespace bertcls::train
