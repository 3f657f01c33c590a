// The "model" block when its type is BPE (GPT-2, RoBERTa): each word starts as one symbol
// per character and adjacent symbols merge, lowest merge rank first (leftmost among
// equal ranks), until no pair of neighbours has a merge, exactly as HF's Word::merge_all
// orders them. A character not in the vocabulary becomes unk_token (consecutive ones
// fused into one when fuse_unk), or is dropped when there is none. Byte-level
// vocabularies cover every character the ByteLevel pre-tokenizer produces.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "text/encoding.h"
#include "text/normalized_text.h"
#include "text/vocab_map.h"

namespace bertcls::text {

struct BpeOptions {
  std::optional<std::string> unk_token;
  std::string continuing_subword_prefix;  // before every character but a word's first
  std::string end_of_word_suffix;         // after a word's last character
  bool fuse_unk = false;
  bool ignore_merges = false;  // a word that is a vocabulary token stays whole
};

class Bpe {
 public:
  Bpe() = default;
  // `vocab[i]` is the token of id i (empty for ids a sparse vocabulary lacks); merges in
  // rank order. Throws Error naming the token when a merge's parts or result are not in
  // the vocabulary.
  Bpe(std::vector<std::string> vocab, const std::vector<std::pair<std::string, std::string>>& merges,
      BpeOptions options);

  // Appends the tokens of chars [word.begin, word.end) of `text` to `out`. Throws Error
  // when a character needs unk_token and the vocabulary lacks it (HF fails the same way).
  void tokenize(const NormalizedText& text, CharSpan word, int32_t type_id, Encoding& out) const;

  std::optional<int32_t> token_to_id(std::string_view token) const { return ids_.find(token); }
  const std::string* id_to_token(int32_t id) const;  // nullptr for an id not in the vocabulary
  size_t size() const { return ids_.size(); }
  int32_t unk_id() const;  // -1 without an unk_token in the vocabulary

 private:
  struct Merge {
    uint32_t rank;
    int32_t new_id;
  };
  struct Symbol {
    int32_t id, prev, next, len;  // len: characters of the word; 0 once merged away
  };
  static uint64_t pair_key(int32_t a, int32_t b) { return (uint64_t(uint32_t(a)) << 32) | uint32_t(b); }
  const Merge* merge_of(int32_t a, int32_t b) const;
  void merge_all(std::vector<Symbol>& symbols) const;

  std::vector<std::string> tokens_;
  VocabMap ids_;
  std::unordered_map<uint64_t, Merge> merges_;
  BpeOptions options_;
};

}  // namespace bertcls::text
