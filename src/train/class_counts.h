// True/false positives and false negatives of one class or label, and the precision,
// recall and F1 they give with sklearn's zero_division=0. Shared by the single-label,
// multi-label and micro-averaged metrics.
#pragma once

#include <cstddef>

#include "train/classification_metrics.h"

namespace bertcls::train {

struct ClassCounts {
  std::size_t tp = 0, fp = 0, fn = 0;

  ClassScores scores() const {
    auto ratio = [](std::size_t num, std::size_t den) {
      return den == 0 ? 0.0 : static_cast<double>(num) / static_cast<double>(den);
    };
    return {ratio(tp, tp + fp), ratio(tp, tp + fn), ratio(2 * tp, 2 * tp + fp + fn), tp + fn};
  }
};

}  // namespace bertcls::train
