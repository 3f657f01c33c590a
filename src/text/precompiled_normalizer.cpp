#include "text/precompiled_normalizer.h"

#include <utf8proc.h>

#include <utility>
#include <vector>

#include "common/utf8.h"

namespace bertcls::text {
namespace {

// HF's edit list: each new character with its change, 0 (replaces the next original
// character), +1 (inserted) or -n (replaces the next one and removes n more).
using Edits = std::vector<std::pair<char32_t, int32_t>>;

// precompiled.rs's replace(): the replacement's characters replace the old ones; extra
// characters are inserts; fewer characters remove the rest through the LAST edit so far,
// which is the previous chunk's when the replacement is empty, and nothing at all when
// the list is still empty (a removal at the start of the text is lost, HF's quirk).
void replace(Edits& edits, size_t old_count, std::string_view replacement) {
  std::vector<char32_t> chars;
  decode_utf8(replacement, chars, InvalidUtf8Policy::kReplace);
  for (char32_t c : chars) edits.emplace_back(c, 0);
  const auto diff = static_cast<int64_t>(chars.size()) - static_cast<int64_t>(old_count);
  if (diff > 0) {
    for (int64_t k = 0; k < diff; ++k) edits[edits.size() - 1 - k].second = 1;
  } else if (diff < 0 && !edits.empty()) {
    edits.back().second += static_cast<int32_t>(diff);
  }
}

// NormalizedString::transform over the whole text: a new character takes the alignment of
// the original character it replaces, an inserted one that of the character before it.
// Edits consume the originals in order, so a lost removal shifts every later alignment
// by one character, as it does in HF.
void apply(const NormalizedText& in, const Edits& edits, NormalizedText& out) {
  size_t at = 0;
  const auto origin_at = [&](size_t i) { return in.origin[std::min(i, in.size() - 1)]; };
  for (auto [c, change] : edits) {
    if (change > 0) {
      out.push(c, at == 0 ? in.origin[0] : origin_at(at - 1));
    } else {
      out.push(c, origin_at(at));
      at += 1 + static_cast<size_t>(-change);
    }
  }
}

}  // namespace

void PrecompiledNormalizer::normalize(const NormalizedText& in, NormalizedText& out) const {
  thread_local Edits edits;
  thread_local std::string cluster, one;
  edits.clear();
  bool modified = false;
  size_t begin = 0;
  while (begin < in.size()) {
    // One extended grapheme cluster [begin, end), as unicode-segmentation cuts them.
    size_t end = begin + 1;
    utf8proc_int32_t state = 0;
    while (end < in.size() &&
           !utf8proc_grapheme_break_stateful(static_cast<utf8proc_int32_t>(in.chars[end - 1]),
                                             static_cast<utf8proc_int32_t>(in.chars[end]), &state)) {
      ++end;
    }
    cluster.clear();
    for (size_t i = begin; i < end; ++i) append_utf8(in.chars[i], cluster);
    std::optional<std::string_view> whole;
    if (cluster.size() < 6) whole = map_.transform(cluster);
    if (whole) {
      modified = true;
      replace(edits, end - begin, *whole);
    } else {
      for (size_t i = begin; i < end; ++i) {
        one.clear();
        append_utf8(in.chars[i], one);
        if (auto norm = map_.transform(one)) {
          modified = true;
          replace(edits, 1, *norm);
        } else {
          edits.emplace_back(in.chars[i], 0);
        }
      }
    }
    begin = end;
  }
  if (!modified) {
    for (size_t i = 0; i < in.size(); ++i) out.push(in.chars[i], in.origin[i]);
    return;
  }
  apply(in, edits, out);
}

}  // namespace bertcls::text
