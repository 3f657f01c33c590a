#include "text/byte_level_offsets.h"

#include <algorithm>
#include <vector>

#include "common/utf8.h"
#include "text/byte_level_alphabet.h"
#include "text/unicode.h"

namespace bertcls::text {

namespace {

bool is_space(char32_t c) { return c == byte_to_char(' ') || (unicode::flags(c) & unicode::kSplitWhitespace); }

}  // namespace

void trim_byte_level_offsets(Encoding& e, size_t begin, size_t end, bool add_prefix_space) {
  std::vector<char32_t> chars;
  for (size_t i = begin; i < end; ++i) {
    chars.clear();
    decode_utf8(e.tokens[i], chars, InvalidUtf8Policy::kReplace);
    int32_t leading = 0, trailing = 0;
    while (leading < static_cast<int32_t>(chars.size()) && is_space(chars[leading])) ++leading;
    while (trailing < static_cast<int32_t>(chars.size()) && is_space(chars[chars.size() - 1 - trailing])) ++trailing;
    auto& [start, stop] = e.offsets[i];
    if (leading > 0) {
      const bool first = i == begin || start == 0;
      if (first && add_prefix_space && leading == 1) leading = 0;
      start = std::min(start + leading, stop);
    }
    if (trailing > 0 && stop >= trailing) stop = std::max(stop - trailing, start);
  }
}

}  // namespace bertcls::text
