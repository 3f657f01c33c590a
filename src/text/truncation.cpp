#include "text/truncation.h"

#include <algorithm>

#include <bertcls/error.h>

namespace bertcls::text {

size_t tokens_before_early_exit(const std::vector<SplitEnd>& splits, size_t max_length, bool from_left) {
  if (splits.empty()) return 0;
  const size_t total = splits.back().end;
  size_t count = 0;
  if (from_left) {
    for (size_t i = splits.size(); i-- > 0;) {
      const size_t begin = i == 0 ? 0 : splits[i - 1].end;
      count = total - begin;
      if (!splits[i].added && count >= max_length) break;
    }
    return count;
  }
  for (const SplitEnd& s : splits) {
    count = s.end;
    if (!s.added && count >= max_length) break;
  }
  return count;
}

void truncate_encodings(Encoding& a, Encoding* b, size_t max_length, TruncationStrategy strategy,
                        bool from_left) {
  const size_t total = a.size() + (b ? b->size() : 0);
  if (total <= max_length) return;
  const size_t to_remove = total - max_length;
  if (strategy == TruncationStrategy::kLongestFirst) {
    if (!b) {
      a.truncate(max_length, from_left);
      return;
    }
    size_t n1 = a.size(), n2 = b->size();
    const bool swap = n1 > n2;
    if (swap) std::swap(n1, n2);
    n2 = n1 > max_length ? n1 : std::max(n1, max_length - n1);
    if (n1 + n2 > max_length) {
      n1 = max_length / 2;
      n2 = n1 + max_length % 2;
    }
    if (swap) std::swap(n1, n2);
    a.truncate(n1, from_left);
    b->truncate(n2, from_left);
    return;
  }
  Encoding* target = strategy == TruncationStrategy::kOnlyFirst ? &a : b;
  if (!target) throw Error("truncation only_second needs a pair of texts");
  if (target->size() <= to_remove) {
    throw Error("truncation: the sequence to truncate is too short to fit max_length " +
                std::to_string(max_length));
  }
  target->truncate(target->size() - to_remove, from_left);
}

void pad_encodings(std::vector<Encoding*> encodings, const PaddingParams& params) {
  size_t length = 0;
  if (params.fixed_length) {
    length = *params.fixed_length;
  } else {
    for (const Encoding* e : encodings) length = std::max(length, e->size());
  }
  if (params.pad_to_multiple_of > 0 && length % params.pad_to_multiple_of != 0) {
    length += params.pad_to_multiple_of - length % params.pad_to_multiple_of;
  }
  for (Encoding* e : encodings) {
    if (e->size() >= length) continue;
    Encoding pad;
    const size_t n = length - e->size();
    pad.ids.assign(n, params.pad_id);
    pad.type_ids.assign(n, params.pad_type_id);
    pad.attention_mask.assign(n, 0);
    pad.special_tokens_mask.assign(n, 1);
    pad.tokens.assign(n, params.pad_token);
    pad.offsets.assign(n, {0, 0});
    if (params.pad_left) {
      pad.append(*e);
      *e = std::move(pad);
    } else {
      e->append(pad);
    }
  }
}

}  // namespace bertcls::text
