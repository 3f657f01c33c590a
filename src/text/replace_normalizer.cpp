#include "text/replace_normalizer.h"

#include <bertcls/error.h>
#include "common/utf8.h"

namespace bertcls::text {

ReplaceNormalizer::ReplaceNormalizer(std::u32string literal, std::u32string content)
    : literal_(std::move(literal)), content_(std::move(content)) {
  if (literal_.empty()) throw Error("Replace: an empty pattern is not supported");
}

ReplaceNormalizer ReplaceNormalizer::from_regex(const std::u32string& regex, std::u32string content) {
  const std::u32string meta = U"\\^$.|?*+()[]{}";
  auto refuse = [&]() -> ReplaceNormalizer {
    std::string utf8;
    for (char32_t c : regex) append_utf8(c, utf8);
    throw Error("Replace: regex pattern \"" + utf8 +
                "\" is not supported (a literal, or one character repeated: \"c+\", \"c{n,}\")");
  };
  if (regex.find_first_of(meta) == std::u32string::npos) {
    if (regex.empty()) return refuse();
    return ReplaceNormalizer(regex, std::move(content));
  }
  if (regex.size() < 2 || meta.find(regex[0]) != std::u32string::npos) return refuse();
  ReplaceNormalizer r;
  r.repeated_ = regex[0];
  r.content_ = std::move(content);
  const std::u32string tail = regex.substr(1);
  if (tail == U"+") return r;
  if (tail.size() < 4 || tail.front() != U'{' || tail.substr(tail.size() - 2) != U",}") return refuse();
  size_t n = 0;
  for (size_t i = 1; i + 2 < tail.size(); ++i) {
    if (tail[i] < U'0' || tail[i] > U'9' || n > 100000) return refuse();
    n = n * 10 + (tail[i] - U'0');
  }
  if (n == 0) return refuse();  // "c{0,}" matches the empty string everywhere
  r.min_repeats_ = n;
  return r;
}

size_t ReplaceNormalizer::match_at(const NormalizedText& in, size_t at) const {
  if (!literal_.empty()) {
    if (in.size() - at < literal_.size()) return 0;
    for (size_t k = 0; k < literal_.size(); ++k) {
      if (in.chars[at + k] != literal_[k]) return 0;
    }
    return literal_.size();
  }
  size_t n = 0;
  while (at + n < in.size() && in.chars[at + n] == repeated_) ++n;
  return n >= min_repeats_ ? n : 0;
}

void ReplaceNormalizer::normalize(const NormalizedText& in, NormalizedText& out) const {
  size_t at = 0;
  while (at < in.size()) {
    const size_t n = match_at(in, at);
    if (n == 0) {
      out.push(in.chars[at], in.origin[at]);
      ++at;
      continue;
    }
    for (char32_t c : content_) out.push(c, in.origin[at + n - 1]);
    at += n;
  }
}

}  // namespace bertcls::text
