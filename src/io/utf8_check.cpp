#include "io/utf8_check.h"

#include <utf8proc.h>

#include <cstdio>
#include <vector>

namespace bertcls::io {

std::size_t invalid_utf8_offset(std::string_view text) {
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  std::size_t i = 0;
  while (i < text.size()) {
    if (bytes[i] < 0x80) {  // ASCII needs no decoding
      ++i;
      continue;
    }
    utf8proc_int32_t cp;
    const utf8proc_ssize_t len = utf8proc_iterate(bytes + i, static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
    if (len <= 0) return i;
    i += static_cast<std::size_t>(len);
  }
  return std::string_view::npos;
}

std::string describe_utf8_error(std::string_view text, std::size_t offset, std::size_t first_line) {
  std::size_t line = first_line, line_start = 0;
  for (std::size_t i = 0; i < offset; ++i)
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  std::size_t column = 1;
  for (std::size_t i = line_start; i < offset; ++i) column += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
  char byte[8];
  std::snprintf(byte, sizeof byte, "0x%02x", static_cast<unsigned char>(text[offset]));
  return "line " + std::to_string(line) + ", column " + std::to_string(column) + " (byte " + byte + ")";
}

std::string valid_utf8(std::string_view text, InvalidUtf8Policy policy) {
  std::vector<char32_t> chars;
  decode_utf8(text, chars, policy);
  std::string out;
  for (char32_t c : chars) append_utf8(c, out);
  return out;
}

}  // namespace bertcls::io
