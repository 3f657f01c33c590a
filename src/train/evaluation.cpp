#include "train/evaluation.h"

#include <algorithm>
#include <cstdio>

#include <bertcls/error.h>

#include "dist/share_owned.h"
#include "model/classification_loss.h"
#include "train/classification_metrics.h"
#include "train/multilabel_metrics.h"
#include "train/regression_metrics.h"

namespace bertcls::train {

model::ProblemType problem_type_of(Task task) {
  switch (task) {
    case Task::MultiLabel: return model::ProblemType::multi_label_classification;
    case Task::Regression: return model::ProblemType::regression;
    case Task::SingleLabel: break;
  }
  return model::ProblemType::single_label_classification;
}

void check_head(const model::BertConfig& config, Task task, int num_labels) {
  const int want = task == Task::Regression ? 1 : num_labels;
  if (config.num_labels != want)
    throw Error("the model has " + std::to_string(config.num_labels) + " outputs but the data needs " +
                std::to_string(want));
}

void prepare_head(model::BertWeights& weights, Task task, int num_labels) {
  check_head(weights.config(), task, num_labels);
  weights.set_problem_type(problem_type_of(task));
}

namespace {

// One example's targets for the head, appended: a class id, or a float row of K.
void append_targets(const io::Example& ex, Task task, int num_labels, std::vector<int32_t>& classes,
                    std::vector<float>& floats) {
  switch (task) {
    case Task::SingleLabel: classes.push_back(ex.label); break;
    case Task::Regression: floats.push_back(ex.target); break;
    case Task::MultiLabel: {
      const std::size_t row = floats.size();
      floats.resize(row + static_cast<std::size_t>(num_labels), 0.0f);
      for (int l : ex.labels) floats[row + static_cast<std::size_t>(l)] = 1.0f;
      break;
    }
  }
}

}  // namespace

void fill_batch(model::Batch& batch, const Batch& indices, const EncodedExamples& encoded,
                const std::vector<io::Example>* examples, Task task, int num_labels) {
  batch.clear();
  for (std::size_t w : indices) {
    batch.add_sequence(encoded.ids_of(w), encoded.type_ids_of(w));
    if (examples)
      append_targets((*examples)[encoded.example_of[w]], task, num_labels, batch.class_labels, batch.float_labels);
  }
}

std::vector<float> predict_logits(const model::BertWeights& weights, model::BertWorkspace& workspace,
                                  const EncodedExamples& encoded, std::size_t batch_size, WindowPooling pooling,
                                  dist::Communicator* world) {
  const auto k = static_cast<std::size_t>(weights.config().num_labels);
  const std::size_t W = encoded.size(), N = encoded.examples;
  const bool one_window_each = W == N;
  std::vector<float> window_logits(W * k);
  const std::vector<Batch> batches = make_eval_batches(encoded.lengths, batch_size);
  const std::size_t ranks = world ? static_cast<std::size_t>(world->size()) : 1;
  const std::size_t rank = world ? static_cast<std::size_t>(world->rank()) : 0;
  model::Batch batch;
  for (std::size_t i = rank; i < batches.size(); i += ranks) {
    fill_batch(batch, batches[i], encoded, nullptr, Task::SingleLabel, 0);
    const std::span<const float> out = workspace.forward(weights, batch);
    for (std::size_t b = 0; b < batches[i].size(); ++b)
      std::copy_n(out.data() + b * k, k, window_logits.data() + batches[i][b] * k);
  }
  if (ranks > 1) {
    // Window w's logits come from the process that ran its batch.
    std::vector<int> owner(W);
    for (std::size_t i = 0; i < batches.size(); ++i)
      for (std::size_t w : batches[i]) owner[w] = static_cast<int>(i % ranks);
    dist::share_owned(*world, std::as_writable_bytes(std::span(window_logits)), k * sizeof(float),
                      [&](std::size_t w) { return owner[w]; }, "evaluate");
  }
  if (one_window_each) return window_logits;

  // Windows of one example are adjacent (example_of ascends).
  std::vector<float> logits(N * k, 0.0f);
  std::vector<std::size_t> windows(N, 0);
  for (std::size_t w = 0; w < W; ++w) {
    const std::size_t n = encoded.example_of[w];
    float* row = logits.data() + n * k;
    const float* from = window_logits.data() + w * k;
    for (std::size_t j = 0; j < k; ++j)
      row[j] = pooling == WindowPooling::Max && windows[n] > 0 ? std::max(row[j], from[j]) : row[j] + from[j];
    ++windows[n];
  }
  if (pooling == WindowPooling::Mean)
    for (std::size_t n = 0; n < N; ++n)
      for (std::size_t j = 0; j < k; ++j) logits[n * k + j] /= static_cast<float>(windows[n]);
  return logits;
}

EvalResult score_logits(std::span<const float> logits, const std::vector<io::Example>& examples, Task task, int K) {
  const auto k = static_cast<std::size_t>(K);
  const int N = static_cast<int>(examples.size());
  if (logits.size() != examples.size() * k) throw Error("evaluate: logits and examples differ in number");
  std::vector<int32_t> classes;
  std::vector<float> floats;
  for (const io::Example& ex : examples) append_targets(ex, task, K, classes, floats);

  EvalResult r;
  r.task = task;
  r.examples = examples.size();
  switch (task) {
    case Task::SingleLabel: {
      for (int32_t y : classes)
        if (y < 0 || y >= K) throw Error("evaluate: class label " + std::to_string(y) + " is outside 0.." + std::to_string(K - 1));
      r.loss = model::cross_entropy_loss(nullptr, logits.data(), classes.data(), nullptr, N, K);
      std::vector<int> y_pred;
      for (std::size_t i = 0; i < examples.size(); ++i) {
        const float* row = logits.data() + i * k;
        y_pred.push_back(static_cast<int>(std::max_element(row, row + k) - row));
      }
      r.classification = classification_metrics(std::vector<int>(classes.begin(), classes.end()), y_pred, K);
      break;
    }
    case Task::MultiLabel: {
      r.loss = model::bce_with_logits_loss(nullptr, logits.data(), floats.data(), N, K);
      std::vector<std::vector<int>> y_true, y_pred;
      for (std::size_t i = 0; i < examples.size(); ++i) {
        y_true.push_back(examples[i].labels);
        std::vector<int>& p = y_pred.emplace_back();
        for (int l = 0; l < K; ++l)
          if (logits[i * k + static_cast<std::size_t>(l)] > 0.0f) p.push_back(l);  // sigmoid > 0.5
      }
      r.multilabel = multilabel_metrics(y_true, y_pred, K);
      break;
    }
    case Task::Regression:
      r.loss = model::mse_loss(nullptr, logits.data(), floats.data(), N, K);
      r.regression = regression_metrics(floats, logits);
      break;
  }
  return r;
}

EvalResult evaluate(const model::BertWeights& weights, model::BertWorkspace& workspace,
                    const std::vector<io::Example>& examples, const EncodedExamples& encoded, Task task,
                    std::size_t batch_size, WindowPooling pooling, dist::Communicator* world) {
  if (examples.size() != encoded.examples) throw Error("evaluate: examples and encodings differ in number");
  return score_logits(predict_logits(weights, workspace, encoded, batch_size, pooling, world), examples, task,
                      weights.config().num_labels);
}

SelectionMetric parse_selection_metric(std::string_view name) {
  if (name == "auto") return SelectionMetric::Auto;
  if (name == "accuracy") return SelectionMetric::Accuracy;
  if (name == "f1_macro") return SelectionMetric::F1Macro;
  if (name == "loss") return SelectionMetric::Loss;
  throw Error("metric: unknown metric '" + std::string(name) + "' (known: accuracy, f1_macro, loss, auto)");
}

void check_selection_metric(SelectionMetric metric, Task task) {
  if (task == Task::Regression && (metric == SelectionMetric::Accuracy || metric == SelectionMetric::F1Macro))
    throw Error("metric: regression has no accuracy or F1; use loss or auto (-MSE)");
}

}  // namespace bertcls::train
