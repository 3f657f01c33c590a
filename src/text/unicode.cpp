#include "text/unicode.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <vector>

#include "common/utf8.h"

namespace bertcls::text::unicode {
namespace {

struct FlagRange {
  char32_t first, last;
  uint8_t flags;
};
struct CharMapping {
  char32_t from;
  const char* to;  // UTF-8
};

#include "text/unicode_tables.inc"

// Two-stage lookup: 256-character blocks, identical blocks stored once (most of the
// code space is a handful of flag-free or all-CJK blocks).
class FlagTable {
 public:
  template <size_t N>
  explicit FlagTable(const FlagRange (&ranges)[N]) {
    std::vector<uint8_t> all(0x110000, 0);
    for (const FlagRange& r : ranges) std::fill(all.begin() + r.first, all.begin() + r.last + 1, r.flags);
    for (size_t block = 0; block < index_.size(); ++block) {
      const uint8_t* b = all.data() + block * 256;
      size_t found = blocks_.size();
      for (size_t k = 0; k < blocks_.size(); k += 256) {
        if (std::equal(b, b + 256, blocks_.begin() + k)) {
          found = k;
          break;
        }
      }
      if (found == blocks_.size()) blocks_.insert(blocks_.end(), b, b + 256);
      index_[block] = static_cast<uint32_t>(found);
    }
  }
  uint8_t get(char32_t c) const { return c < 0x110000 ? blocks_[index_[c >> 8] + (c & 0xFF)] : 0; }

 private:
  std::array<uint32_t, 0x110000 / 256> index_{};
  std::vector<uint8_t> blocks_;
};

// A mapping table decoded once into code points, searchable by source character.
class MappingTable {
 public:
  template <size_t N>
  explicit MappingTable(const CharMapping (&table)[N]) {
    for (const CharMapping& m : table) {
      from_.push_back(m.from);
      start_.push_back(static_cast<uint32_t>(to_.size()));
      decode_utf8(m.to, to_, InvalidUtf8Policy::kError);
    }
    start_.push_back(static_cast<uint32_t>(to_.size()));
  }
  size_t get(char32_t c, char32_t* out) const {
    auto it = std::lower_bound(from_.begin(), from_.end(), c);
    if (it == from_.end() || *it != c) {
      out[0] = c;
      return 1;
    }
    size_t i = static_cast<size_t>(it - from_.begin());
    std::copy(to_.begin() + start_[i], to_.begin() + start_[i + 1], out);
    return start_[i + 1] - start_[i];
  }

 private:
  std::vector<char32_t> from_, to_;
  std::vector<uint32_t> start_;
};

}  // namespace

uint8_t flags(char32_t c) {
  static const FlagTable table(kFlagRanges);
  return table.get(c);
}

RegexClass regex_class(char32_t c) {
  static const FlagTable table(kRegexClassRanges);
  return static_cast<RegexClass>(table.get(c));
}

size_t strip_accents(char32_t c, char32_t* out) {
  if (is_hangul_syllable(c)) {  // Unicode 3.12, conjoining jamo; the generator checks it
    uint32_t s = c - 0xAC00;
    out[0] = 0x1100 + s / 588;
    out[1] = 0x1161 + (s % 588) / 28;
    if (s % 28 == 0) return 2;
    out[2] = 0x11A7 + s % 28;
    return 3;
  }
  static const MappingTable table(kStripAccentsMap);
  return table.get(c, out);
}

size_t to_lower(char32_t c, char32_t* out) {
  static const MappingTable table(kLowercaseMap);
  return table.get(c, out);
}

}  // namespace bertcls::text::unicode
