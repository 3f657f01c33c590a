// A dataset's texts as token ids, encoded once before training or evaluation (by
// pipeline/text_encoder.h): one or more windows per example, each with its special
// tokens ([CLS] a [SEP] or [CLS] a [SEP] b [SEP]), never padded (batches are packed; see
// batching.h). A text that fits the model is one window; a longer one is either
// truncated to one window or cut into overlapping windows whose logits are pooled.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace bertcls::train {

struct EncodedExamples {
  std::vector<int32_t> ids;             // every window's tokens end to end
  std::vector<int32_t> type_ids;        // token type (segment) ids, same layout
  std::vector<std::size_t> offsets{0};  // [W+1]: window w is ids[offsets[w] .. offsets[w+1])
  std::vector<int> lengths;             // [W]: tokens per window, for batching
  std::vector<std::size_t> example_of;  // [W]: the example window w comes from, ascending
  std::size_t examples = 0;             // N: every example has at least one window

  std::size_t size() const { return lengths.size(); }  // W, the windows
  std::span<const int32_t> ids_of(std::size_t w) const { return {ids.data() + offsets[w], ids.data() + offsets[w + 1]}; }
  std::span<const int32_t> type_ids_of(std::size_t w) const {
    return {type_ids.data() + offsets[w], type_ids.data() + offsets[w + 1]};
  }

  // Appends a window of `example`, which must be the last example or the next one.
  void add_window(std::span<const int32_t> window_ids, std::span<const int32_t> window_type_ids, std::size_t example);
  // Appends all of `other`'s windows, its examples numbered after this one's.
  void append(const EncodedExamples& other);
};

}  // namespace bertcls::train
