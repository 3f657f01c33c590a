#include "text/decoder_chain.h"

#include "common/utf8.h"

namespace bertcls::text {
namespace {

struct ChainStep {
  std::vector<std::string>& tokens;

  void operator()(const MetaspaceDecoder& d) const { d.decode_chain(tokens); }
  void operator()(const ByteFallbackDecoder& d) const { d.decode_chain(tokens); }
  void operator()(const StripDecoder& d) const { d.decode_chain(tokens); }
  void operator()(const FuseDecoder&) const {
    std::string all;
    for (const std::string& t : tokens) all += t;
    tokens.assign(1, std::move(all));
  }
  void operator()(const ReplaceNormalizer& r) const {
    std::vector<char32_t> chars;
    NormalizedText in, out;
    for (std::string& token : tokens) {
      chars.clear();
      decode_utf8(token, chars, InvalidUtf8Policy::kReplace);
      in.clear();
      out.clear();
      for (char32_t c : chars) in.push(c, 0);  // decoding needs no alignment
      r.normalize(in, out);
      token.clear();
      for (char32_t c : out.chars) append_utf8(c, token);
    }
  }
};

}  // namespace

std::string DecoderChain::decode(std::vector<std::string> tokens) const {
  for (const Step& step : steps_) std::visit(ChainStep{tokens}, step);
  std::string out;
  for (const std::string& t : tokens) out += t;
  return out;
}

}  // namespace bertcls::text
