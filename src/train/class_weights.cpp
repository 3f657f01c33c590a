#include "train/class_weights.h"

#include <string>

#include <bertcls/error.h>

namespace bertcls::train {

std::vector<float> balanced_class_weights(std::span<const int> labels, int num_classes) {
  if (labels.empty()) throw Error("balanced class weights: no labelled examples");
  std::vector<std::size_t> counts(static_cast<std::size_t>(num_classes), 0);
  for (int y : labels) {
    if (y < 0 || y >= num_classes)
      throw Error("balanced class weights: label id " + std::to_string(y) + " outside [0, " +
                  std::to_string(num_classes) + ")");
    ++counts[static_cast<std::size_t>(y)];
  }
  std::size_t present = 0;
  for (std::size_t c : counts) present += c > 0;
  std::vector<float> weights(counts.size(), 1.0f);
  for (std::size_t c = 0; c < counts.size(); ++c)
    if (counts[c] > 0)
      weights[c] = static_cast<float>(static_cast<double>(labels.size()) /
                                      (static_cast<double>(present) * static_cast<double>(counts[c])));
  return weights;
}

}  // namespace bertcls::train
