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

// Where a text's splits end in its encoding (token counts), in text order. A split is a
// pre-tokenizer word or an added token; HF's early exit cuts only between splits.
struct SplitEnd {
  size_t end;
  bool added;  // an added token: HF has its tokens before the model runs
};

// How many tokens of a text HF 0.23 keeps before truncating: it stops tokenizing at the
// end of the word that brings the count to max_length (the whole max_length, special
// tokens included), from the end of the text when `from_left`. Added tokens are counted
// but never stop it. Applies to every text, except the first under only_second.
size_t tokens_before_early_exit(const std::vector<SplitEnd>& splits, size_t max_length, bool from_left);

// Cuts `a` (and `b`) so that together they hold at most `max_length` tokens. A pair under
// longest_first follows HF 0.23: the shorter text stays whole when the longer can absorb
// the cut; else each gets max_length / 2 and the longer one the odd token, the second on
// a tie. Because the early exit above leaves every text that reaches the truncation's
// max_length at about that many tokens, two long texts usually tie, and the second text
// gets the odd token even when the first was longer. Throws Error when an
// only_first/only_second target is too short, or only_second has no pair.
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
