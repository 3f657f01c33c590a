// Multi-label evaluation with sklearn's semantics for label-indicator data
// (zero_division=0): per-label precision/recall/F1, micro averages (counts pooled over
// all labels) and macro averages (mean over every label, as sklearn averages over all
// indicator columns), plus subset accuracy (the predicted set equals the true set).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "train/classification_metrics.h"

namespace bertcls::train {

// y_true[i] and y_pred[i] are the label ids of example i (any order, no repeats) in
// [0, num_labels); throws bertcls::Error otherwise or for mismatched lengths or no examples.
MultiLabelMetrics multilabel_metrics(std::span<const std::vector<int>> y_true, std::span<const std::vector<int>> y_pred,
                                     int num_labels);

}  // namespace bertcls::train
