// A SentencePiece `precompiled_charsmap`: normalization rules compiled into a
// Darts double-array trie over UTF-8 bytes whose values index a pool of NUL-terminated
// replacement strings. Layout: u32 trie size in bytes (little-endian), the trie's u32
// units, then the pool. Read as the spm_precompiled crate (under tokenizers' Precompiled
// normalizer) reads it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bertcls::text {

class PrecompiledCharsmap {
 public:
  // Throws Error when the blob is too short for its trie or the pool is not UTF-8.
  explicit PrecompiledCharsmap(std::string_view blob);

  // The replacement of the SHORTEST rule matching a prefix of `chunk`, as
  // spm_precompiled's transform takes the first result of its common-prefix search: the
  // caller replaces the whole chunk with it, even when the rule covered only a prefix.
  // A NUL byte ends the search.
  std::optional<std::string_view> transform(std::string_view chunk) const;

 private:
  std::vector<uint32_t> units_;
  std::string pool_;
};

}  // namespace bertcls::text
