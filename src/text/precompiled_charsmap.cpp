#include "text/precompiled_charsmap.h"

#include <bertcls/error.h>
#include "common/utf8.h"

namespace bertcls::text {
namespace {

// Darts' unit: bit 8 says a value hangs below, the label is the low byte (bit 31 set on
// value units so they never match a label), the offset to the children is bits 10..31,
// shifted left by 8 when bit 9 is set.
bool has_leaf(uint32_t u) { return (u >> 8) & 1; }
uint32_t value(uint32_t u) { return u & 0x7FFFFFFFu; }
uint32_t label(uint32_t u) { return u & (0x80000000u | 0xFFu); }
uint32_t offset(uint32_t u) { return (u >> 10) << ((u & (1u << 9)) >> 6); }

}  // namespace

PrecompiledCharsmap::PrecompiledCharsmap(std::string_view blob) {
  auto u32_at = [&](size_t at) {
    return uint32_t(uint8_t(blob[at])) | uint32_t(uint8_t(blob[at + 1])) << 8 | uint32_t(uint8_t(blob[at + 2])) << 16 |
           uint32_t(uint8_t(blob[at + 3])) << 24;
  };
  if (blob.size() < 4) throw Error("precompiled_charsmap: shorter than its header");
  const size_t trie_bytes = u32_at(0);
  if (trie_bytes > blob.size() - 4) throw Error("precompiled_charsmap: its trie runs past the end");
  for (size_t at = 4; at + 4 <= 4 + trie_bytes; at += 4) units_.push_back(u32_at(at));
  pool_.assign(blob.substr(4 + trie_bytes));
  std::vector<char32_t> ignored;
  decode_utf8(pool_, ignored, InvalidUtf8Policy::kError);  // throws: the crate refuses it too
  if (units_.empty()) throw Error("precompiled_charsmap: empty trie");
}

std::optional<std::string_view> PrecompiledCharsmap::transform(std::string_view chunk) const {
  // A unit index outside the array means a corrupt trie; it matches nothing.
  auto unit = [&](size_t pos) -> std::optional<uint32_t> {
    if (pos >= units_.size()) return std::nullopt;
    return units_[pos];
  };
  size_t pos = offset(units_[0]);
  for (char ch : chunk) {
    const auto c = static_cast<uint8_t>(ch);
    if (c == 0) break;
    pos ^= c;
    const auto u = unit(pos);
    if (!u || label(*u) != c) return std::nullopt;
    pos ^= offset(*u);
    if (has_leaf(*u)) {
      const auto leaf = unit(pos);
      if (!leaf || value(*leaf) > pool_.size()) return std::nullopt;
      const std::string_view rest = std::string_view(pool_).substr(value(*leaf));
      return rest.substr(0, rest.find('\0'));
    }
  }
  return std::nullopt;
}

}  // namespace bertcls::text
