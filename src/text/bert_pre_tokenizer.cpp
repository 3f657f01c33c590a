#include "text/bert_pre_tokenizer.h"

#include "text/unicode.h"

namespace bertcls::text {

void bert_pre_tokenize(const NormalizedText& text, CharSpan span, std::vector<CharSpan>& words) {
  int32_t word_begin = span.begin;
  for (int32_t i = span.begin; i < span.end; ++i) {
    uint8_t f = unicode::flags(text.chars[i]);
    if (!(f & (unicode::kSplitWhitespace | unicode::kSplitPunct))) continue;
    if (word_begin < i) words.push_back({word_begin, i});
    if (f & unicode::kSplitPunct) words.push_back({i, i + 1});
    word_begin = i + 1;
  }
  if (word_begin < span.end) words.push_back({word_begin, span.end});
}

}  // namespace bertcls::text
