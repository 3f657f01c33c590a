#include "text/byte_level_pre_tokenizer.h"

#include <string>

#include "common/utf8.h"
#include "text/byte_level_alphabet.h"
#include "text/gpt2_split.h"

namespace bertcls::text {

void ByteLevelPreTokenizer::pre_tokenize(const NormalizedText& text, CharSpan span, NormalizedText& out,
                                         std::vector<CharSpan>& words) const {
  if (span.begin == span.end) return;
  thread_local NormalizedText split;
  thread_local std::vector<CharSpan> pieces;
  thread_local std::string bytes;
  split.clear();
  if (add_prefix_space && text.chars[span.begin] != U' ') split.push(U' ', text.origin[span.begin]);
  for (int32_t i = span.begin; i < span.end; ++i) split.push(text.chars[i], text.origin[i]);
  pieces.clear();
  if (use_regex) {
    gpt2_split(split.chars.data(), split.size(), pieces);
  } else {
    pieces.push_back({0, static_cast<int32_t>(split.size())});
  }
  for (CharSpan piece : pieces) {
    const auto begin = static_cast<int32_t>(out.size());
    for (int32_t i = piece.begin; i < piece.end; ++i) {
      bytes.clear();
      append_utf8(split.chars[i], bytes);
      for (unsigned char b : bytes) out.push(byte_to_char(b), split.origin[i]);
    }
    words.push_back({begin, static_cast<int32_t>(out.size())});
  }
}

}  // namespace bertcls::text
