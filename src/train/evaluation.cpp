#include "train/evaluation.h"

#include <algorithm>
#include <cstdio>

#include "common/error.h"

namespace bertcls::train {

model::ProblemType problem_type_of(io::Task task) {
  switch (task) {
    case io::Task::MultiLabel: return model::ProblemType::multi_label_classification;
    case io::Task::Regression: return model::ProblemType::regression;
    case io::Task::SingleLabel: break;
  }
  return model::ProblemType::single_label_classification;
}

void prepare_head(model::BertClassifier& model, io::Task task, int num_labels) {
  const int want = task == io::Task::Regression ? 1 : num_labels;
  if (model.config().num_labels() != want)
    throw Error("the model has " + std::to_string(model.config().num_labels()) + " outputs but the data needs " +
                std::to_string(want));
  model.config().problem_type = problem_type_of(task);
  model.config().problem_type_set = true;
}

void fill_batch(model::Batch& batch, const Batch& indices, const EncodedExamples& encoded,
                const std::vector<io::Example>* examples, io::Task task, int num_labels) {
  batch.clear();
  for (std::size_t i : indices) {
    batch.add_sequence(encoded.ids_of(i), encoded.type_ids_of(i));
    if (!examples) continue;
    const io::Example& ex = (*examples)[i];
    switch (task) {
      case io::Task::SingleLabel: batch.class_labels.push_back(ex.label); break;
      case io::Task::Regression: batch.float_labels.push_back(ex.target); break;
      case io::Task::MultiLabel: {
        const std::size_t row = batch.float_labels.size();
        batch.float_labels.resize(row + static_cast<std::size_t>(num_labels), 0.0f);
        for (int l : ex.labels) batch.float_labels[row + static_cast<std::size_t>(l)] = 1.0f;
        break;
      }
    }
  }
}

namespace {

// Logits [N, K] in input order over length-sorted batches; with examples, also the sum
// over examples of the head's loss.
std::vector<float> run_batches(model::BertClassifier& model, const EncodedExamples& encoded,
                               const std::vector<io::Example>* examples, io::Task task, std::size_t batch_size,
                               double* loss_sum) {
  const int K = model.config().num_labels();
  const auto k = static_cast<std::size_t>(K);
  std::vector<float> logits(encoded.size() * k);
  model::Batch batch;
  for (const Batch& indices : make_eval_batches(encoded.lengths, batch_size)) {
    fill_batch(batch, indices, encoded, examples, task, K);
    const std::span<const float> out = model.forward(batch);
    for (std::size_t b = 0; b < indices.size(); ++b) std::copy_n(out.data() + b * k, k, logits.data() + indices[b] * k);
    if (examples) *loss_sum += static_cast<double>(model.loss(batch)) * static_cast<double>(indices.size());
  }
  return logits;
}

}  // namespace

std::vector<float> predict_logits(model::BertClassifier& model, const EncodedExamples& encoded, std::size_t batch_size) {
  return run_batches(model, encoded, nullptr, io::Task::SingleLabel, batch_size, nullptr);
}

EvalResult evaluate(model::BertClassifier& model, const std::vector<io::Example>& examples,
                    const EncodedExamples& encoded, io::Task task, std::size_t batch_size) {
  if (examples.size() != encoded.size()) throw Error("evaluate: examples and encodings differ in number");
  const int K = model.config().num_labels();
  const auto k = static_cast<std::size_t>(K);
  EvalResult r;
  r.task = task;
  double loss_sum = 0.0;
  const std::vector<float> logits = run_batches(model, encoded, &examples, task, batch_size, &loss_sum);
  r.loss = loss_sum / static_cast<double>(examples.size());

  switch (task) {
    case io::Task::SingleLabel: {
      std::vector<int> y_true, y_pred;
      for (std::size_t i = 0; i < examples.size(); ++i) {
        const float* row = logits.data() + i * k;
        y_true.push_back(examples[i].label);
        y_pred.push_back(static_cast<int>(std::max_element(row, row + k) - row));
      }
      r.classification = classification_metrics(y_true, y_pred, K);
      break;
    }
    case io::Task::MultiLabel: {
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
    case io::Task::Regression: {
      std::vector<float> y_true;
      for (const io::Example& ex : examples) y_true.push_back(ex.target);
      r.regression = regression_metrics(y_true, logits);
      break;
    }
  }
  return r;
}

SelectionMetric parse_selection_metric(std::string_view name) {
  if (name == "auto") return SelectionMetric::Auto;
  if (name == "accuracy") return SelectionMetric::Accuracy;
  if (name == "f1_macro") return SelectionMetric::F1Macro;
  if (name == "loss") return SelectionMetric::Loss;
  throw Error("--metric: unknown metric '" + std::string(name) + "' (known: accuracy, f1_macro, loss, auto)");
}

void check_selection_metric(SelectionMetric metric, io::Task task) {
  if (task == io::Task::Regression && (metric == SelectionMetric::Accuracy || metric == SelectionMetric::F1Macro))
    throw Error("--metric: regression has no accuracy or F1; use loss or auto (-MSE)");
}

double EvalResult::score(SelectionMetric metric) const {
  check_selection_metric(metric, task);
  const bool multi = task == io::Task::MultiLabel;
  switch (metric) {
    case SelectionMetric::Accuracy: return multi ? multilabel.subset_accuracy : classification.accuracy;
    case SelectionMetric::F1Macro: return multi ? multilabel.macro.f1 : classification.macro.f1;
    case SelectionMetric::Loss: return -loss;
    case SelectionMetric::Auto: break;
  }
  switch (task) {
    case io::Task::MultiLabel: return multilabel.micro.f1;
    case io::Task::Regression: return -regression.mse;
    case io::Task::SingleLabel: break;
  }
  return classification.accuracy;
}

std::string EvalResult::summary() const {
  char buf[160];
  switch (task) {
    case io::Task::SingleLabel:
      std::snprintf(buf, sizeof buf, "loss %.4f accuracy %.4f macro-f1 %.4f", loss, classification.accuracy,
                    classification.macro.f1);
      break;
    case io::Task::MultiLabel:
      std::snprintf(buf, sizeof buf, "loss %.4f micro-f1 %.4f macro-f1 %.4f", loss, multilabel.micro.f1,
                    multilabel.macro.f1);
      break;
    case io::Task::Regression:
      std::snprintf(buf, sizeof buf, "loss %.4f mse %.4f mae %.4f pearson %.4f", loss, regression.mse, regression.mae,
                    regression.pearson);
      break;
  }
  return buf;
}

}  // namespace bertcls::train
