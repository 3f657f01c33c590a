// A packed batch: the real tokens of B sequences end to end (see shapes.h), plus the
// labels a loss needs. Reusing one Batch across steps (clear() keeps capacity) keeps a
// training loop free of allocations.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace bertcls::model {

struct Batch {
  std::vector<int32_t> ids;           // [T] token ids
  std::vector<int32_t> type_ids;      // [T] token type (segment) ids
  std::vector<int32_t> offsets{0};    // [B+1] sequence b is rows offsets[b] .. offsets[b+1]-1
  std::vector<int32_t> class_labels;  // [B] single-label targets; empty when labels are floats
  std::vector<float> float_labels;    // [B, K] multi-label or regression targets; else empty
  // [T] the masked-LM head's targets: the original token id at a masked position,
  // kIgnoreIndex at every other (HF's labels with -100); empty for a classification head.
  std::vector<int32_t> mlm_labels;
  static constexpr int32_t kIgnoreIndex = -100;

  int num_sequences() const { return static_cast<int>(offsets.size()) - 1; }
  int num_tokens() const { return offsets.back(); }

  // Appends one sequence; type_ids empty means all zeros.
  void add_sequence(std::span<const int32_t> seq_ids, std::span<const int32_t> seq_type_ids = {});
  void clear();

  // Packs a right-padded [B, S] batch as HF takes it (input_ids, token_type_ids,
  // attention_mask): each row keeps its masked-in prefix. A row whose mask is not ones
  // then zeros, or is all zeros, is an Error (HF's position ids would differ from packing).
  static Batch from_padded(std::span<const int32_t> ids, std::span<const int32_t> type_ids,
                           std::span<const int32_t> mask, int B, int S);
};

}  // namespace bertcls::model
