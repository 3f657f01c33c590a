// The "pre_tokenizer" block when its type is BertPreTokenizer: split on whitespace
// (dropped) and isolate every punctuation character (ASCII punctuation or a Unicode P*
// category, by the crate's tables) as a word of its own.
#pragma once

#include <vector>

#include "text/normalized_text.h"

namespace bertcls::text {

// Appends the words of chars [span.begin, span.end) of `text` to `words`.
void bert_pre_tokenize(const NormalizedText& text, CharSpan span, std::vector<CharSpan>& words);

}  // namespace bertcls::text
