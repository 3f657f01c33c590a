// The "decoder" block when its type is Metaspace: each replacement character (▁) becomes
// a space, except that the first token loses its ▁ unless prepend_scheme is "never" (HF
// drops every ▁ of that token, not only the leading one).
#pragma once

#include <string>
#include <vector>

namespace bertcls::text {

struct MetaspaceDecoder {
  char32_t replacement = U'\u2581';
  bool drop_first = true;  // prepend_scheme is not "never"

  // HF's decode_chain: each token rewritten in place.
  void decode_chain(std::vector<std::string>& tokens) const;
};

}  // namespace bertcls::text
