// The "decoder" blocks HF runs as a chain over the token list (decode_chain), then joins
// the result: Metaspace, ByteFallback, Fuse, Strip, Replace, and a Sequence of them
// (Llama-style files: Replace ▁ -> ' ', ByteFallback, Fuse, Strip).
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "text/byte_fallback_decoder.h"
#include "text/metaspace_decoder.h"
#include "text/replace_normalizer.h"
#include "text/strip_decoder.h"

namespace bertcls::text {

// Fuse: every token joined into one, so later steps see the whole text.
struct FuseDecoder {};

class DecoderChain {
 public:
  // Replace as a decoder: the normalizer's pattern and content applied to each token.
  using Step = std::variant<MetaspaceDecoder, ByteFallbackDecoder, FuseDecoder, StripDecoder, ReplaceNormalizer>;

  void add(Step step) { steps_.push_back(std::move(step)); }
  std::string decode(std::vector<std::string> tokens) const;

 private:
  std::vector<Step> steps_;
};

}  // namespace bertcls::text
