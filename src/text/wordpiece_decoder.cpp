#include "text/wordpiece_decoder.h"

#include <string_view>
#include <utility>

namespace bertcls::text {

namespace {

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
}

}  // namespace

std::string WordPieceDecoder::decode(const std::vector<std::string>& tokens) const {
  static constexpr std::pair<std::string_view, std::string_view> kCleanup[] = {
      {" .", "."},   {" ?", "?"},       {" !", "!"},   {" ,", ","},   {" ' ", "'"},   {" n't", "n't"},
      {" 'm", "'m"}, {" do not", " don't"}, {" 's", "'s"}, {" 've", "'ve"}, {" 're", "'re"}};
  std::string out;
  for (size_t i = 0; i < tokens.size(); ++i) {
    std::string token;
    if (i != 0 && tokens[i].starts_with(prefix)) {
      token = tokens[i].substr(prefix.size());
    } else {
      token = (i != 0 ? " " : "") + tokens[i];
    }
    if (cleanup) {
      for (const auto& [from, to] : kCleanup) replace_all(token, from, to);
    }
    out += token;
  }
  return out;
}

}  // namespace bertcls::text
