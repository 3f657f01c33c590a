// The "decoder" step Strip: removes up to `start` leading and `stop` trailing copies of
// `content` from each token (Llama's decoder strips the space its ▁ prefix became).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace bertcls::text {

struct StripDecoder {
  char32_t content = U' ';
  size_t start = 0, stop = 0;

  void decode_chain(std::vector<std::string>& tokens) const;
};

}  // namespace bertcls::text
