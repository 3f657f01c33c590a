// The "decoder" block when its type is ByteLevel: tokens back to text by reading each
// byte-level character as the byte it stands for.
#pragma once

#include <string>
#include <vector>

namespace bertcls::text {

struct ByteLevelDecoder {
  // Concatenates the tokens' bytes (a token with any character outside the byte-level
  // alphabet, such as an added token, counts as its own UTF-8) and reads them as UTF-8
  // with U+FFFD per maximal invalid subsequence, as Rust's String::from_utf8_lossy does.
  // No spaces are added or removed.
  std::string decode(const std::vector<std::string>& tokens) const;
};

}  // namespace bertcls::text
