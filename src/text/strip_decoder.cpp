#include "text/strip_decoder.h"

#include "common/utf8.h"

namespace bertcls::text {

void StripDecoder::decode_chain(std::vector<std::string>& tokens) const {
  std::vector<char32_t> chars;
  for (std::string& token : tokens) {
    chars.clear();
    decode_utf8(token, chars, InvalidUtf8Policy::kReplace);
    size_t begin = 0, end = chars.size();
    while (begin < start && begin < end && chars[begin] == content) ++begin;
    // HF counts the trailing cut from the token's end whatever the leading cut took.
    for (size_t i = 0; i < stop && i < chars.size() && end > begin && chars[chars.size() - 1 - i] == content; ++i) --end;
    token.clear();
    for (size_t i = begin; i < end; ++i) append_utf8(chars[i], token);
  }
}

}  // namespace bertcls::text
