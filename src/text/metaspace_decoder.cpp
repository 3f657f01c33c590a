#include "text/metaspace_decoder.h"

#include "common/utf8.h"

namespace bertcls::text {

void MetaspaceDecoder::decode_chain(std::vector<std::string>& tokens) const {
  std::vector<char32_t> chars;
  for (size_t i = 0; i < tokens.size(); ++i) {
    chars.clear();
    decode_utf8(tokens[i], chars, InvalidUtf8Policy::kReplace);
    std::string& out = tokens[i];
    out.clear();
    for (char32_t c : chars) {
      if (c != replacement) append_utf8(c, out);
      else if (i != 0 || !drop_first) out += ' ';
    }
  }
}

}  // namespace bertcls::text
