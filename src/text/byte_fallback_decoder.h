// The "decoder" step ByteFallback (SentencePiece models with byte_fallback): each run of
// <0xXX> tokens becomes the text its bytes spell, or one U+FFFD per byte when they are
// not valid UTF-8 together, as HF's ByteFallback::decode_chain does.
#pragma once

#include <string>
#include <vector>

namespace bertcls::text {

struct ByteFallbackDecoder {
  void decode_chain(std::vector<std::string>& tokens) const;
};

}  // namespace bertcls::text
