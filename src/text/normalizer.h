// The "normalizer" block as a whole: null (the identity), one normalizer, or a Sequence
// of them run in order, each on the previous one's output. Every step maps each output
// character to one input character, so NormalizedText's one origin per character stays
// the whole alignment through the chain.
#pragma once

#include <cstddef>
#include <cstdint>
#include <variant>
#include <vector>

#include "text/bert_normalizer.h"
#include "text/normalized_text.h"
#include "text/precompiled_normalizer.h"
#include "text/replace_normalizer.h"

namespace bertcls::text {

class Normalizer {
 public:
  using Step = std::variant<BertNormalizer, PrecompiledNormalizer, ReplaceNormalizer>;

  Normalizer() = default;
  Normalizer(BertNormalizer bert) { steps_.emplace_back(bert); }
  void add(Step step) { steps_.push_back(std::move(step)); }

  // Appends the normalized form of text[0, n) to `out`; character i of the input has
  // original index first_origin + i.
  void normalize(const char32_t* text, size_t n, int32_t first_origin, NormalizedText& out) const;

 private:
  std::vector<Step> steps_;
};

}  // namespace bertcls::text
