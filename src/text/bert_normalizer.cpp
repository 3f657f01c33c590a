#include "text/bert_normalizer.h"

#include "text/unicode.h"

namespace bertcls::text {

void BertNormalizer::normalize(const NormalizedText& in, NormalizedText& out) const {
  using namespace unicode;
  char32_t stripped[kMaxMapping], lowered[kMaxMapping];
  for (size_t i = 0; i < in.size(); ++i) {
    char32_t c = in.chars[i];
    const int32_t from = in.origin[i];
    uint8_t f = flags(c);
    if (clean_text) {
      if (f & kRemoved) continue;
      if (f & kSpace) c = ' ', f = flags(' ');
    }
    const bool cjk = handle_chinese_chars && (f & kCjk);
    if (cjk) out.push(' ', from);
    size_t ns = 1;
    stripped[0] = c;
    if (strip_accents) {
      if (f & kStripDrops) ns = 0;
      else if ((f & kStripMaps) || is_hangul_syllable(c)) ns = unicode::strip_accents(c, stripped);
    }
    for (size_t k = 0; k < ns; ++k) {
      char32_t s = stripped[k];
      if (lowercase && (flags(s) & kLowers)) {
        size_t nl = to_lower(s, lowered);
        for (size_t j = 0; j < nl; ++j) out.push(lowered[j], from);
      } else {
        out.push(s, from);
      }
    }
    if (cjk) out.push(' ', from);
  }
}

}  // namespace bertcls::text
