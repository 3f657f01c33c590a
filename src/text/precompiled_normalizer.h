// The "normalizer" block when its type is Precompiled (XLM-R, T5, mBART: SentencePiece's
// own normalization, e.g. nmt_nfkc). As tokenizers' precompiled.rs runs it: the text is
// cut into extended grapheme clusters; a cluster under 6 bytes whose start matches a rule
// is replaced whole by that rule's replacement (so "ﬁ" + U+0301 becomes "fi", the mark
// lost, as in HF); any other cluster is looked up character by character.
#pragma once

#include <string>
#include <string_view>

#include "text/normalized_text.h"
#include "text/precompiled_charsmap.h"

namespace bertcls::text {

class PrecompiledNormalizer {
 public:
  explicit PrecompiledNormalizer(std::string_view charsmap) : map_(charsmap) {}

  // Appends the normalized form of `in` to `out`.
  void normalize(const NormalizedText& in, NormalizedText& out) const;

 private:
  PrecompiledCharsmap map_;
};

}  // namespace bertcls::text
