#include <bertcls/metrics.h>

#include <cstdio>

#include "train/evaluation.h"

namespace bertcls {

double EvalResult::score(SelectionMetric metric) const {
  train::check_selection_metric(metric, task);
  const bool multi = task == Task::MultiLabel;
  switch (metric) {
    case SelectionMetric::Accuracy: return multi ? multilabel.subset_accuracy : classification.accuracy;
    case SelectionMetric::F1Macro: return multi ? multilabel.macro.f1 : classification.macro.f1;
    case SelectionMetric::Loss: return -loss;
    case SelectionMetric::Auto: break;
  }
  switch (task) {
    case Task::MultiLabel: return multilabel.micro.f1;
    case Task::Regression: return -regression.mse;
    case Task::SingleLabel: break;
  }
  return classification.accuracy;
}

std::string EvalResult::summary() const {
  char buf[160];
  switch (task) {
    case Task::SingleLabel:
      std::snprintf(buf, sizeof buf, "loss %.4f accuracy %.4f macro-f1 %.4f", loss, classification.accuracy,
                    classification.macro.f1);
      break;
    case Task::MultiLabel:
      std::snprintf(buf, sizeof buf, "loss %.4f micro-f1 %.4f macro-f1 %.4f", loss, multilabel.micro.f1,
                    multilabel.macro.f1);
      break;
    case Task::Regression:
      std::snprintf(buf, sizeof buf, "loss %.4f mse %.4f mae %.4f pearson %.4f", loss, regression.mse, regression.mae,
                    regression.pearson);
      break;
  }
  return buf;
}

}  // namespace bertcls
