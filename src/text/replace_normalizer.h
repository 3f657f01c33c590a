// The "normalizer" block when its type is Replace: every leftmost, non-overlapping match
// of a pattern becomes `content`. No regex engine is linked, so a Regex pattern must be
// a literal or one character repeated ("c+", "c{n,}", e.g. SentencePiece converters'
// " {2,}"); others are refused at load. As NormalizedString::replace aligns them, the
// content's characters take the origin of the match's last character.
#pragma once

#include <cstddef>
#include <string>

#include "text/normalized_text.h"

namespace bertcls::text {

class ReplaceNormalizer {
 public:
  // A literal pattern (the "String" form).
  ReplaceNormalizer(std::u32string literal, std::u32string content);
  // The "Regex" form; throws Error naming the pattern when it is not one of the above.
  static ReplaceNormalizer from_regex(const std::u32string& regex, std::u32string content);

  void normalize(const NormalizedText& in, NormalizedText& out) const;

 private:
  ReplaceNormalizer() = default;
  // Length of the match at in.chars[at], 0 for none.
  size_t match_at(const NormalizedText& in, size_t at) const;

  std::u32string literal_;   // matched as is, when not empty
  char32_t repeated_ = 0;    // else: this character, at least min_repeats times, greedily
  size_t min_repeats_ = 1;
  std::u32string content_;
};

}  // namespace bertcls::text
