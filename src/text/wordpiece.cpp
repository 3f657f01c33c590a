#include "text/wordpiece.h"

#include <algorithm>

#include <bertcls/error.h>
#include "common/utf8.h"

namespace bertcls::text {

WordPiece::WordPiece(std::vector<std::string> vocab, std::string unk_token,
                     std::string continuing_prefix, size_t max_input_chars_per_word)
    : tokens_(std::move(vocab)),
      unk_token_(std::move(unk_token)),
      prefix_(std::move(continuing_prefix)),
      max_chars_(max_input_chars_per_word) {
  for (size_t id = 0; id < tokens_.size(); ++id) {
    if (tokens_[id].empty()) continue;
    ids_.insert(tokens_[id], static_cast<int32_t>(id));
    max_token_bytes_ = std::max(max_token_bytes_, tokens_[id].size());
  }
  auto unk = ids_.find(unk_token_);
  if (!unk) throw Error("WordPiece: unk_token \"" + unk_token_ + "\" is not in the vocabulary");
  unk_id_ = *unk;
}

const std::string* WordPiece::id_to_token(int32_t id) const {
  if (id < 0 || static_cast<size_t>(id) >= tokens_.size() || tokens_[id].empty()) return nullptr;
  return &tokens_[id];
}

void WordPiece::tokenize(const NormalizedText& text, CharSpan word, int32_t type_id,
                         Encoding& out) const {
  const size_t n = static_cast<size_t>(word.end - word.begin);
  const std::pair<int32_t, int32_t> whole{text.origin[word.begin], text.origin[word.end - 1] + 1};
  if (n > max_chars_) {
    out.push(unk_id_, unk_token_, whole, type_id, false);
    return;
  }
  // The word as UTF-8, and where each character starts in it. Scratch buffers are
  // thread_local: one WordPiece serves every thread of encode_batch.
  thread_local std::string word_bytes, candidate;
  thread_local std::vector<uint32_t> starts;
  word_bytes.clear();
  starts.clear();
  for (int32_t i = word.begin; i < word.end; ++i) {
    starts.push_back(static_cast<uint32_t>(word_bytes.size()));
    append_utf8(text.chars[i], word_bytes);
  }
  starts.push_back(static_cast<uint32_t>(word_bytes.size()));

  const size_t first_piece = out.size();
  size_t start = 0;  // in characters
  while (start < n) {
    // Candidates are prefixes of (continuation prefix +) the rest of the word.
    candidate.assign(start == 0 ? "" : prefix_);
    const size_t head = candidate.size();
    candidate.append(word_bytes, starts[start]);
    size_t end = n;
    while (end > start && head + starts[end] - starts[start] > max_token_bytes_) --end;
    std::optional<int32_t> id;
    for (; end > start; --end) {
      id = ids_.find(std::string_view(candidate).substr(0, head + starts[end] - starts[start]));
      if (id) break;
    }
    if (!id) {
      out.truncate(first_piece, false);
      out.push(unk_id_, unk_token_, whole, type_id, false);
      return;
    }
    out.push(*id, tokens_[*id], {text.origin[word.begin + start], text.origin[word.begin + end - 1] + 1},
             type_id, false);
    start = end;
  }
}

}  // namespace bertcls::text
