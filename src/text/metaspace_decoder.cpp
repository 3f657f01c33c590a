#include "text/metaspace_decoder.h"

#include "common/utf8.h"

namespace bertcls::text {

std::string MetaspaceDecoder::decode(const std::vector<std::string>& tokens) const {
  std::string out;
  std::vector<char32_t> chars;
  for (size_t i = 0; i < tokens.size(); ++i) {
    chars.clear();
    decode_utf8(tokens[i], chars, InvalidUtf8Policy::kReplace);
    for (char32_t c : chars) {
      if (c != replacement) append_utf8(c, out);
      else if (i != 0 || !drop_first) out += ' ';
    }
  }
  return out;
}

}  // namespace bertcls::text
