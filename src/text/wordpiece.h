// The "model" block when its type is WordPiece: each word becomes the longest vocabulary
// prefix, then the longest "##"-prefixed continuation, and so on; a word with any part
// not in the vocabulary, or longer than max_input_chars_per_word characters, becomes
// the single unk token.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "text/encoding.h"
#include "text/normalized_text.h"
#include "text/vocab_map.h"

namespace bertcls::text {

class WordPiece {
 public:
  WordPiece() = default;
  // `vocab[i]` is the token of id i; ids missing from a sparse vocabulary are empty
  // strings. Throws Error if unk_token is not in the vocabulary.
  WordPiece(std::vector<std::string> vocab, std::string unk_token, std::string continuing_prefix,
            size_t max_input_chars_per_word);

  // Appends the pieces of chars [word.begin, word.end) of `text` to `out`.
  void tokenize(const NormalizedText& text, CharSpan word, int32_t type_id, Encoding& out) const;

  std::optional<int32_t> token_to_id(std::string_view token) const { return ids_.find(token); }
  // nullptr for an id the vocabulary does not have.
  const std::string* id_to_token(int32_t id) const;
  size_t size() const { return ids_.size(); }
  int32_t unk_id() const { return unk_id_; }
  const std::string& continuing_prefix() const { return prefix_; }

 private:
  std::vector<std::string> tokens_;
  VocabMap ids_;
  std::string unk_token_, prefix_ = "##";
  int32_t unk_id_ = -1;
  size_t max_chars_ = 100;
  size_t max_token_bytes_ = 0;  // no candidate longer than this can be in the vocabulary
};

}  // namespace bertcls::text
