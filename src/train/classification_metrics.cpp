#include "train/classification_metrics.h"

#include <algorithm>
#include <cstdio>

#include <bertcls/error.h>
#include "train/class_counts.h"

namespace bertcls::train {

ClassificationMetrics classification_metrics(std::span<const int> y_true, std::span<const int> y_pred,
                                             int num_classes) {
  if (y_true.size() != y_pred.size())
    throw Error("metrics: " + std::to_string(y_true.size()) + " true labels but " + std::to_string(y_pred.size()) +
                " predictions");
  if (y_true.empty()) throw Error("metrics: no examples");
  const auto k = static_cast<std::size_t>(num_classes);
  ClassificationMetrics m;
  m.confusion.assign(k, std::vector<std::size_t>(k, 0));
  for (std::size_t i = 0; i < y_true.size(); ++i) {
    for (int y : {y_true[i], y_pred[i]})
      if (y < 0 || y >= num_classes)
        throw Error("metrics: class id " + std::to_string(y) + " outside [0, " + std::to_string(num_classes) + ")");
    ++m.confusion[static_cast<std::size_t>(y_true[i])][static_cast<std::size_t>(y_pred[i])];
  }

  std::size_t correct = 0, present = 0;
  for (std::size_t c = 0; c < k; ++c) {
    ClassCounts counts;
    counts.tp = m.confusion[c][c];
    for (std::size_t o = 0; o < k; ++o) {
      if (o == c) continue;
      counts.fn += m.confusion[c][o];
      counts.fp += m.confusion[o][c];
    }
    correct += counts.tp;
    m.per_class.push_back(counts.scores());
    const ClassScores& s = m.per_class.back();
    if (counts.tp + counts.fp + counts.fn > 0) {
      ++present;
      m.macro.precision += s.precision;
      m.macro.recall += s.recall;
      m.macro.f1 += s.f1;
    }
    m.weighted.precision += s.precision * static_cast<double>(s.support);
    m.weighted.recall += s.recall * static_cast<double>(s.support);
    m.weighted.f1 += s.f1 * static_cast<double>(s.support);
  }
  const auto n = static_cast<double>(y_true.size());
  m.accuracy = static_cast<double>(correct) / n;
  m.macro.precision /= static_cast<double>(present);
  m.macro.recall /= static_cast<double>(present);
  m.macro.f1 /= static_cast<double>(present);
  m.weighted.precision /= n;
  m.weighted.recall /= n;
  m.weighted.f1 /= n;
  m.macro.support = m.weighted.support = y_true.size();
  return m;
}

std::string format_classification_report(const ClassificationMetrics& m, const std::vector<std::string>& names) {
  std::size_t width = 12, column = 9;  // "weighted avg", "precision"
  for (const std::string& name : names) {
    width = std::max(width, name.size());
    column = std::max(column, name.size());
  }
  const int w = static_cast<int>(width), cw = static_cast<int>(column);
  std::string out;
  char buf[1024];
  auto row = [&](const std::string& label, const ClassScores& s) {
    std::snprintf(buf, sizeof buf, "%*s %9.4f %9.4f %9.4f %9zu\n", w, label.c_str(), s.precision, s.recall, s.f1,
                  s.support);
    out += buf;
  };
  std::snprintf(buf, sizeof buf, "%*s %9s %9s %9s %9s\n\n", w, "", "precision", "recall", "f1-score", "support");
  out += buf;
  for (std::size_t c = 0; c < m.per_class.size(); ++c) row(c < names.size() ? names[c] : std::to_string(c), m.per_class[c]);
  std::snprintf(buf, sizeof buf, "\n%*s %9s %9s %9.4f %9zu\n", w, "accuracy", "", "", m.accuracy, m.macro.support);
  out += buf;
  row("macro avg", m.macro);
  row("weighted avg", m.weighted);

  out += "\nconfusion matrix (rows: true, columns: predicted)\n";
  std::snprintf(buf, sizeof buf, "%*s", w, "");
  out += buf;
  for (std::size_t c = 0; c < m.confusion.size(); ++c) {
    std::snprintf(buf, sizeof buf, " %*s", cw, (c < names.size() ? names[c] : std::to_string(c)).c_str());
    out += buf;
  }
  out += "\n";
  for (std::size_t t = 0; t < m.confusion.size(); ++t) {
    std::snprintf(buf, sizeof buf, "%*s", w, (t < names.size() ? names[t] : std::to_string(t)).c_str());
    out += buf;
    for (std::size_t count : m.confusion[t]) {
      std::snprintf(buf, sizeof buf, " %*zu", cw, count);
      out += buf;
    }
    out += "\n";
  }
  return out;
}

}  // namespace bertcls::train
