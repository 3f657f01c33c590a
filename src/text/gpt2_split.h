// The ByteLevel pre-tokenizer's regex, GPT-2's
//   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
// matched by hand (no regex engine is linked) on unicode::regex_class, the classes probed
// from the crate's own regex engine. The alternatives cover every character, so the
// pieces tile the text: a run of letters, of digits or of anything else, each taking one
// ASCII space before it; a contraction; or whitespace, which leaves its last character
// to the piece after it (so " word" keeps its space) unless it ends the text.
#pragma once

#include <cstddef>
#include <vector>

#include "text/normalized_text.h"

namespace bertcls::text {

// Appends the pieces of text[0, n) to `pieces`, in order.
void gpt2_split(const char32_t* text, size_t n, std::vector<CharSpan>& pieces);

}  // namespace bertcls::text
