// Running weights over encoded examples: the one path from windows to per-example logits
// that validation, `bertcls eval`, `bertcls predict` and the server all take, and the
// metrics of the dataset's task (what `bertcls eval` prints and what picks the best epoch).
#pragma once

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include <bertcls/metrics.h>

#include "dist/communicator.h"
#include "io/dataset.h"
#include "model/batch.h"
#include "model/bert_weights.h"
#include "model/bert_workspace.h"
#include "train/batching.h"
#include "train/encoded_examples.h"

namespace bertcls::train {

// The engine's head for a task; the trainer and eval fix it in the model's config.
model::ProblemType problem_type_of(Task task);

// Throws bertcls::Error unless the head fits the task and labels (K classes or labels;
// 1 output for regression).
void check_head(const model::BertConfig& config, Task task, int num_labels);

// check_head, then fixes the config's problem_type to the task's.
void prepare_head(model::BertWeights& weights, Task task, int num_labels);

// Packs the windows of `indices` into `batch` (cleared first), with the labels the task's
// loss needs when `examples` is given (each window carries its example's label): class
// ids, multi-hot rows of num_labels, or targets.
void fill_batch(model::Batch& batch, const Batch& indices, const EncodedExamples& encoded,
                const std::vector<io::Example>* examples, Task task, int num_labels);

// Logits [N, K] of the N examples in input order: windows run in length-sorted batches
// of batch_size (no dropout, no gradients), then each example's windows are pooled.
// With a world of several processes (each calling it with the same weights and data),
// process r runs batches r, r + N, ... and every process gets all the logits: the same
// batches as one process runs, so the same bits.
std::vector<float> predict_logits(const model::BertWeights& weights, model::BertWorkspace& workspace,
                                  const EncodedExamples& encoded, std::size_t batch_size,
                                  WindowPooling pooling = WindowPooling::Mean, dist::Communicator* world = nullptr);

// Loss and metrics of per-example logits [N, K] against the examples' labels, by the
// task's head (cross-entropy, BCE with a label on above logit 0, MSE).
EvalResult score_logits(std::span<const float> logits, const std::vector<io::Example>& examples, Task task, int K);

// predict_logits then score_logits; prepare_head must agree with the task.
EvalResult evaluate(const model::BertWeights& weights, model::BertWorkspace& workspace,
                    const std::vector<io::Example>& examples, const EncodedExamples& encoded, Task task,
                    std::size_t batch_size, WindowPooling pooling = WindowPooling::Mean,
                    dist::Communicator* world = nullptr);

// "auto", "accuracy", "f1_macro" or "loss"; throws bertcls::Error naming metric.
SelectionMetric parse_selection_metric(std::string_view name);

// Throws bertcls::Error when the task has no such metric (regression: no accuracy or F1).
void check_selection_metric(SelectionMetric metric, Task task);

}  // namespace bertcls::train
