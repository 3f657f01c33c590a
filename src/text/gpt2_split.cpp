#include "text/gpt2_split.h"

#include "text/unicode.h"

namespace bertcls::text {

namespace {

using unicode::RegexClass;

// Length of the contraction ('s 't 're 've 'm 'll 'd, lowercase only) at text[i], or 0.
size_t contraction(const char32_t* text, size_t i, size_t n) {
  if (text[i] != U'\'' || i + 1 == n) return 0;
  const char32_t a = text[i + 1];
  if (a == U's' || a == U't' || a == U'm' || a == U'd') return 2;
  if (i + 2 == n) return 0;
  const char32_t b = text[i + 2];
  return (a == U'r' && b == U'e') || (a == U'v' && b == U'e') || (a == U'l' && b == U'l') ? 3 : 0;
}

// Length of the leftmost-first match at text[i] (never 0: some alternative always matches).
size_t match_at(const char32_t* text, size_t i, size_t n) {
  if (size_t k = contraction(text, i, n)) return k;
  // ' ?\p{L}+', ' ?\p{N}+', ' ?[^\s\p{L}\p{N}]+': an optional ' ' then a run of one class.
  // A space is \s, so a space can only lead a run, and the class after it picks the run.
  const size_t j = text[i] == U' ' && i + 1 < n && unicode::regex_class(text[i + 1]) != RegexClass::kSpace ? i + 1 : i;
  const RegexClass cls = unicode::regex_class(text[j]);
  size_t end = j;
  while (end < n && unicode::regex_class(text[end]) == cls) ++end;
  if (cls != RegexClass::kSpace) return end - i;
  // '\s+(?!\S)': the whitespace run, backing off one character when a non-space follows,
  // which fails for a run of one; then '\s+' takes that single character.
  if (end < n && end - i > 1) --end;
  return end - i;
}

}  // namespace

void gpt2_split(const char32_t* text, size_t n, std::vector<CharSpan>& pieces) {
  for (size_t i = 0; i < n;) {
    const size_t len = match_at(text, i, n);
    pieces.push_back({static_cast<int32_t>(i), static_cast<int32_t>(i + len)});
    i += len;
  }
}

}  // namespace bertcls::text
