// The "truncation" and "padding" blocks of tokenizer.json, and how HF applies them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "text/encoding.h"

namespace bertcls::text {

enum class TruncationStrategy { kLongestFirst, kOnlyFirst, kOnlySecond };

struct TruncationParams {
  size_t max_length = 512;  // including the special tokens the post-processor adds
  TruncationStrategy strategy = TruncationStrategy::kLongestFirst;
  bool from_left = false;  // "direction": "Left"
  // "stride" only shapes HF's overflowing encodings, which bertcls does not return.
};

// Cuts `a` (and `b`) so that together they hold at most `max_length` tokens, with
// HF 0.23's rule for pairs: the shorter keeps its length when the longer can absorb the
// cut, else both get max_length / 2 (the second gets the odd token). Throws Error
// when an only_first/only_second target is too short, or only_second has no pair.
void truncate_encodings(Encoding& a, Encoding* b, size_t max_length, TruncationStrategy strategy,
                        bool from_left);

struct PaddingParams {
  std::optional<size_t> fixed_length;  // nullopt: "BatchLongest"
  size_t pad_to_multiple_of = 0;       // 0: none
  bool pad_left = false;               // "direction": "Left"
  int32_t pad_id = 0;
  int32_t pad_type_id = 0;
  std::string pad_token = "[PAD]";
};

// Pads every encoding to the fixed length or to the longest of them, rounded up to
// pad_to_multiple_of. Encodings already longer are left as they are.
void pad_encodings(std::vector<Encoding*> encodings, const PaddingParams& params);

}  // namespace bertcls::text
