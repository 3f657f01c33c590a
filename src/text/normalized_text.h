// Text after the normalizer, with each character's origin: the index of the original
// code point it came from. Every normalization step (BERT's, and HF's
// NormalizedString::transform/replace/prepend under Precompiled, Replace and Metaspace)
// gives each new character the alignment of exactly one existing character, so one index
// per character is the whole alignment; a token's offsets are (origin of its first
// character, origin of its last character + 1).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace bertcls::text {

struct NormalizedText {
  std::vector<char32_t> chars;
  std::vector<int32_t> origin;  // same length as chars

  void push(char32_t c, int32_t from) {
    chars.push_back(c);
    origin.push_back(from);
  }
  size_t size() const { return chars.size(); }
  void clear() {
    chars.clear();
    origin.clear();
  }
};

// A half-open range of characters [begin, end) of a NormalizedText.
struct CharSpan {
  int32_t begin = 0, end = 0;
};

}  // namespace bertcls::text
