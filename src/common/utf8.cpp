#include "common/utf8.h"

#include <bertcls/error.h>

namespace bertcls {

void decode_utf8(std::string_view s, std::vector<char32_t>& out, InvalidUtf8Policy policy) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    unsigned char b = p[i];
    if (b < 0x80) {
      out.push_back(b);
      ++i;
      continue;
    }
    // Lead byte: sequence length and the allowed range of the second byte (Unicode
    // Table 3-7), which rules out overlongs, surrogates and code points past U+10FFFF.
    size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    char32_t c = 0;
    if (b >= 0xC2 && b <= 0xDF) {
      len = 2, c = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3, c = b & 0x0F;
      if (b == 0xE0) lo = 0xA0;
      if (b == 0xED) hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4, c = b & 0x07;
      if (b == 0xF0) lo = 0x90;
      if (b == 0xF4) hi = 0x8F;
    }
    size_t k = 1;
    if (len != 0) {
      for (; k < len && i + k < n; ++k) {
        unsigned char cb = p[i + k];
        if (cb < (k == 1 ? lo : 0x80) || cb > (k == 1 ? hi : 0xBF)) break;
        c = (c << 6) | (cb & 0x3F);
      }
    }
    if (len != 0 && k == len) {
      out.push_back(c);
      i += len;
      continue;
    }
    if (policy == InvalidUtf8Policy::kError) {
      throw Error("invalid UTF-8 at byte " + std::to_string(i));
    }
    out.push_back(0xFFFD);
    i += k;  // the maximal subpart: the lead byte and the continuation bytes that fit
  }
}

void append_utf8(char32_t c, std::string& out) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

size_t count_code_points(std::string_view s) {
  size_t n = 0;
  for (char ch : s) n += (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
  return n;
}

}  // namespace bertcls
