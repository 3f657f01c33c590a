#include "text/added_vocabulary.h"

#include "common/utf8.h"
#include "text/unicode.h"

namespace bertcls::text {

void AddedVocabulary::add(AddedToken token, const Normalizer& normalizer) {
  if (token.content.empty()) return;
  std::vector<char32_t> chars;
  decode_utf8(token.content, chars, InvalidUtf8Policy::kError);
  std::u32string pattern(chars.begin(), chars.end());
  if (token.normalized) {
    NormalizedText norm;
    normalizer.normalize(chars.data(), chars.size(), 0, norm);
    pattern.assign(norm.chars.begin(), norm.chars.end());
    has_normalized_ = true;
  }
  token.text.clear();
  for (char32_t c : pattern) append_utf8(c, token.text);
  // Re-adding a content replaces the earlier entry, as HF's map does.
  for (size_t i = 0; i < tokens_.size(); ++i) {
    if (tokens_[i].content == token.content) {
      tokens_[i] = std::move(token);
      patterns_[i] = std::move(pattern);
      return;
    }
  }
  tokens_.push_back(std::move(token));
  patterns_.push_back(std::move(pattern));
}

void AddedVocabulary::find(const char32_t* text, size_t n, bool normalized, std::vector<Match>& out) const {
  // Whitespace as HF's \s (Unicode White_Space, which Rust's char::is_whitespace also is).
  auto space = [&](size_t k) { return (unicode::flags(text[k]) & unicode::kSplitWhitespace) != 0; };
  size_t previous_end = 0;  // lstrip never reaches into the previous match
  for (size_t i = 0; i < n;) {
    size_t best = 0;
    const AddedToken* found = nullptr;
    for (size_t t = 0; t < tokens_.size(); ++t) {
      const std::u32string& p = patterns_[t];
      if (tokens_[t].normalized != normalized || p.empty() || p[0] != text[i]) continue;
      if (p.size() > best && p.size() <= n - i && std::u32string_view(text + i, p.size()) == p) {
        best = p.size();
        found = &tokens_[t];
      }
    }
    if (!found) {
      ++i;
      continue;
    }
    size_t begin = i, end = i + best;
    if (found->lstrip) {
      while (begin > previous_end && space(begin - 1)) --begin;
    }
    if (found->rstrip) {
      while (end < n && space(end)) ++end;
    }
    out.push_back({static_cast<int32_t>(begin), static_cast<int32_t>(end), found});
    i = previous_end = end;
  }
}

const AddedToken* AddedVocabulary::by_content(std::string_view content) const {
  for (const AddedToken& t : tokens_) {
    if (t.content == content) return &t;
  }
  return nullptr;
}

const AddedToken* AddedVocabulary::by_id(int32_t id) const {
  for (const AddedToken& t : tokens_) {
    if (t.id == id) return &t;
  }
  return nullptr;
}

}  // namespace bertcls::text
