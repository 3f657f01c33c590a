#include "train/multilabel_metrics.h"

#include <string>

#include <bertcls/error.h>
#include "train/class_counts.h"

namespace bertcls::train {

namespace {

std::vector<char> indicator(const std::vector<int>& ids, int num_labels) {
  std::vector<char> row(static_cast<std::size_t>(num_labels), 0);
  for (int id : ids) {
    if (id < 0 || id >= num_labels)
      throw Error("metrics: label id " + std::to_string(id) + " outside [0, " + std::to_string(num_labels) + ")");
    row[static_cast<std::size_t>(id)] = 1;
  }
  return row;
}

}  // namespace

MultiLabelMetrics multilabel_metrics(std::span<const std::vector<int>> y_true, std::span<const std::vector<int>> y_pred,
                                     int num_labels) {
  if (y_true.size() != y_pred.size())
    throw Error("metrics: " + std::to_string(y_true.size()) + " true label sets but " + std::to_string(y_pred.size()) +
                " predictions");
  if (y_true.empty()) throw Error("metrics: no examples");
  const auto k = static_cast<std::size_t>(num_labels);
  std::vector<ClassCounts> counts(k);
  std::size_t exact = 0;
  for (std::size_t i = 0; i < y_true.size(); ++i) {
    const std::vector<char> t = indicator(y_true[i], num_labels), p = indicator(y_pred[i], num_labels);
    exact += t == p;
    for (std::size_t l = 0; l < k; ++l) {
      counts[l].tp += t[l] && p[l];
      counts[l].fp += !t[l] && p[l];
      counts[l].fn += t[l] && !p[l];
    }
  }
  MultiLabelMetrics m;
  m.subset_accuracy = static_cast<double>(exact) / static_cast<double>(y_true.size());
  ClassCounts pooled;
  for (const ClassCounts& c : counts) {
    m.per_label.push_back(c.scores());
    pooled.tp += c.tp;
    pooled.fp += c.fp;
    pooled.fn += c.fn;
    m.macro.precision += m.per_label.back().precision;
    m.macro.recall += m.per_label.back().recall;
    m.macro.f1 += m.per_label.back().f1;
  }
  m.micro = pooled.scores();
  if (k > 0) {
    m.macro.precision /= static_cast<double>(k);
    m.macro.recall /= static_cast<double>(k);
    m.macro.f1 /= static_cast<double>(k);
  }
  m.macro.support = m.micro.support;
  return m;
}

}  // namespace bertcls::train
