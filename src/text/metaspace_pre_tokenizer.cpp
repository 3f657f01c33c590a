#include "text/metaspace_pre_tokenizer.h"

namespace bertcls::text {

void MetaspacePreTokenizer::pre_tokenize(const NormalizedText& text, CharSpan span, bool at_text_start,
                                         NormalizedText& out, std::vector<CharSpan>& words) const {
  if (span.begin == span.end) return;
  const auto begin = static_cast<int32_t>(out.size());
  const char32_t first = text.chars[span.begin];
  const bool starts_with_replacement = first == U' ' || first == replacement;
  if (!starts_with_replacement &&
      (prepend == Prepend::kAlways || (prepend == Prepend::kFirst && at_text_start))) {
    out.push(replacement, text.origin[span.begin]);
  }
  for (int32_t i = span.begin; i < span.end; ++i) {
    out.push(text.chars[i] == U' ' ? replacement : text.chars[i], text.origin[i]);
  }
  const auto end = static_cast<int32_t>(out.size());
  if (!split) {
    words.push_back({begin, end});
    return;
  }
  int32_t word = begin;
  for (int32_t i = begin + 1; i < end; ++i) {
    if (out.chars[i] != replacement) continue;
    words.push_back({word, i});
    word = i;
  }
  words.push_back({word, end});
}

}  // namespace bertcls::text
