// A dataset's texts as token ids, encoded once before training or evaluation: each
// example with its special tokens ([CLS] a [SEP] or [CLS] a [SEP] b [SEP]), truncated to
// max_length as the tokenizer's truncation rule cuts pairs, and never padded (batches are
// packed; see batching.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "io/dataset.h"
#include "text/tokenizer.h"

namespace bertcls::train {

struct EncodedExamples {
  std::vector<int32_t> ids;          // every example's tokens end to end
  std::vector<int32_t> type_ids;     // token type (segment) ids, same layout
  std::vector<std::size_t> offsets;  // [N+1]: example i is ids[offsets[i] .. offsets[i+1])
  std::vector<int> lengths;          // [N]: tokens per example, for batching

  std::size_t size() const { return lengths.size(); }
  std::span<const int32_t> ids_of(std::size_t i) const { return {ids.data() + offsets[i], ids.data() + offsets[i + 1]}; }
  std::span<const int32_t> type_ids_of(std::size_t i) const {
    return {type_ids.data() + offsets[i], type_ids.data() + offsets[i + 1]};
  }
};

// Encodes in parallel (OpenMP). The tokenizer's own truncation and padding settings are
// replaced by max_length truncation (longest-first for pairs, as HF's tokenizer call with
// truncation=True does) and no padding. A tokenizer error names the example's line in
// source ("train.csv:12: ...").
EncodedExamples encode_examples(const text::Tokenizer& tokenizer, const std::vector<io::Example>& examples,
                                std::size_t max_length, const std::string& source);

}  // namespace bertcls::train
