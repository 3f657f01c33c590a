#include "text/byte_level_decoder.h"

#include "common/utf8.h"
#include "text/byte_level_alphabet.h"

namespace bertcls::text {

std::string ByteLevelDecoder::decode(const std::vector<std::string>& tokens) const {
  std::string bytes, token_bytes;
  std::vector<char32_t> chars;
  for (const std::string& token : tokens) {
    chars.clear();
    decode_utf8(token, chars, InvalidUtf8Policy::kReplace);
    token_bytes.clear();
    bool in_alphabet = true;
    for (char32_t c : chars) {
      const auto b = char_to_byte(c);
      if (!b) {
        in_alphabet = false;
        break;
      }
      token_bytes.push_back(static_cast<char>(*b));
    }
    bytes += in_alphabet ? token_bytes : token;
  }
  chars.clear();
  decode_utf8(bytes, chars, InvalidUtf8Policy::kReplace);
  std::string out;
  for (char32_t c : chars) append_utf8(c, out);
  return out;
}

}  // namespace bertcls::text
