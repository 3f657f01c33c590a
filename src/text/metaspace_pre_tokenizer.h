// The "pre_tokenizer" block when its type is Metaspace (SentencePiece models: XLM-R, T5,
// Llama's older files): every ' ' becomes the replacement character (▁), a ▁ is put
// before the split unless it already starts with one (prepend_scheme "always"; "first":
// only for the split at the very start of the text; "never"), and with `split` each ▁
// starts a new word (HF's MergedWithNext). Inserted ▁ take the origin of the split's
// first character, as NormalizedString::prepend aligns them.
#pragma once

#include <vector>

#include "text/normalized_text.h"

namespace bertcls::text {

struct MetaspacePreTokenizer {
  enum class Prepend { kAlways, kFirst, kNever };
  char32_t replacement = U'\u2581';
  Prepend prepend = Prepend::kAlways;
  bool split = true;

  // Appends the pre-tokenized characters of chars [span.begin, span.end) of `text` to
  // `out` and its words, as spans of `out`, to `words`. `at_text_start`: the split begins
  // at the original text's first character (what "first" asks).
  void pre_tokenize(const NormalizedText& text, CharSpan span, bool at_text_start, NormalizedText& out,
                    std::vector<CharSpan>& words) const;
};

}  // namespace bertcls::text
