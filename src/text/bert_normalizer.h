// The "normalizer" block of tokenizer.json when its type is BertNormalizer (and the
// normalizer the slow BertTokenizer's options convert to). Steps, in HF's order:
// clean_text (drop controls, whitespace -> ' '), handle_chinese_chars (spaces around
// CJK ideographs), strip_accents (NFD, drop combining marks), lowercase. No NFC, ever.
#pragma once

#include "text/normalized_text.h"

namespace bertcls::text {

struct BertNormalizer {
  bool clean_text = true;
  bool handle_chinese_chars = true;
  bool strip_accents = true;  // tokenizer.json's null means "same as lowercase"; resolved at load
  bool lowercase = true;

  // Appends the normalized form of `in` to `out`.
  void normalize(const NormalizedText& in, NormalizedText& out) const;
};

}  // namespace bertcls::text
