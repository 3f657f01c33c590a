// The "pre_tokenizer" block when its type is ByteLevel (GPT-2, RoBERTa): optionally a
// space before the text, GPT-2's regex split (gpt2_split.h), then every character
// replaced by the byte-level characters of its UTF-8 bytes (byte_level_alphabet.h).
#pragma once

#include <vector>

#include "text/normalized_text.h"

namespace bertcls::text {

struct ByteLevelPreTokenizer {
  // Prepends ' ' to each split (the text, or a piece between added tokens) that does not
  // start with one; the space has the origin of the split's first character, as HF's
  // NormalizedString::prepend aligns it.
  bool add_prefix_space = true;
  bool use_regex = true;  // false: each split is one word

  // Appends the byte-level characters of chars [span.begin, span.end) of `text` to `out`
  // (each byte with the origin of the character it encodes) and the words, as spans of
  // `out`, to `words`.
  void pre_tokenize(const NormalizedText& text, CharSpan span, NormalizedText& out,
                    std::vector<CharSpan>& words) const;
};

}  // namespace bertcls::text
