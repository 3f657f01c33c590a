#include "train/encoded_examples.h"

#include <stdexcept>

namespace bertcls::train {

void EncodedExamples::add_window(std::span<const int32_t> window_ids, std::span<const int32_t> window_type_ids,
                                 std::size_t example) {
  if (example + 1 < examples || example > examples || window_ids.size() != window_type_ids.size())
    throw std::logic_error("EncodedExamples::add_window: windows must come in example order, ids and types together");
  ids.insert(ids.end(), window_ids.begin(), window_ids.end());
  type_ids.insert(type_ids.end(), window_type_ids.begin(), window_type_ids.end());
  offsets.push_back(ids.size());
  lengths.push_back(static_cast<int>(window_ids.size()));
  example_of.push_back(example);
  examples = example + 1;
}

void EncodedExamples::append(const EncodedExamples& other) {
  const std::size_t base = examples;
  for (std::size_t w = 0; w < other.size(); ++w) add_window(other.ids_of(w), other.type_ids_of(w), base + other.example_of[w]);
}

}  // namespace bertcls::train
