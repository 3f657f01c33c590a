// One encoded sequence (or pair): what Hugging Face's Encoding holds, minus overflow.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace bertcls::text {

struct Encoding {
  std::vector<int32_t> ids, type_ids, attention_mask, special_tokens_mask;
  std::vector<std::string> tokens;
  // Code-point offsets [start, end) into the text the token came from; (0, 0) for
  // special tokens and padding.
  std::vector<std::pair<int32_t, int32_t>> offsets;

  size_t size() const { return ids.size(); }
  void push(int32_t id, std::string token, std::pair<int32_t, int32_t> offset, int32_t type_id,
            bool special) {
    ids.push_back(id);
    type_ids.push_back(type_id);
    attention_mask.push_back(1);
    special_tokens_mask.push_back(special ? 1 : 0);
    tokens.push_back(std::move(token));
    offsets.push_back(offset);
  }
  void append(const Encoding& other);
  // {"ids", "type_ids", "tokens", "offsets"} on one line, as `bertcls tokenize` prints it.
  std::string to_json() const;
  // Tokens [begin, end) as an encoding of their own.
  Encoding slice(size_t begin, size_t end) const;
  // Keeps `n` tokens, dropping them from the end (or the start when `from_left`).
  void truncate(size_t n, bool from_left);
};

}  // namespace bertcls::text
