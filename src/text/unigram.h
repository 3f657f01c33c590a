// The "model" block when its type is Unigram (XLM-R, T5, ALBERT: SentencePiece's unigram
// language model). A word is cut into the pieces whose scores (log probabilities) sum
// highest, by the Viterbi pass of tokenizers' Unigram::encode_optimized (itself
// SentencePiece's): positions left to right, each piece starting there offered to the
// position it ends at, a later offer winning only with a strictly higher score. A
// character no piece of its own length starts with is offered as unk_id with score
// min score - 10; consecutive unknown pieces fuse into one token whose text is the
// characters themselves. Each token's id is then looked up by its text, as HF does; with
// byte_fallback, a text not in the vocabulary becomes its UTF-8 bytes as <0xXX> pieces
// (each with the whole text's span) when the vocabulary has them all, else unk_id.
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

class Unigram {
 public:
  Unigram() = default;
  // `vocab[i]` is the piece and score of id i. Throws Error when unk_id is not an id of
  // the vocabulary. A piece listed twice takes its last id and score, as HF's map does.
  Unigram(std::vector<std::pair<std::string, double>> vocab, std::optional<int32_t> unk_id,
          bool byte_fallback = false);

  // Appends the tokens of chars [word.begin, word.end) of `text` to `out`. Throws Error
  // for an unknown character when there is no unk_id (HF fails the same way).
  void tokenize(const NormalizedText& text, CharSpan word, int32_t type_id, Encoding& out) const;

  std::optional<int32_t> token_to_id(std::string_view token) const { return ids_.find(token); }
  const std::string* id_to_token(int32_t id) const;  // nullptr for an id not in the vocabulary
  size_t size() const { return tokens_.size(); }
  int32_t unk_id() const { return unk_id_.value_or(-1); }

 private:
  // The pieces as a trie over code points: the child of `node` by `c` is
  // children_[node << 21 | c]; leaf_[node] is the id of the piece ending there, or -1.
  int32_t child(int32_t node, char32_t c) const;
  // Appends `piece`'s bytes as <0xXX> tokens; false (nothing appended) when one is missing.
  bool push_bytes(const std::string& piece, std::pair<int32_t, int32_t> span, int32_t type_id, Encoding& out) const;

  std::vector<std::string> tokens_;
  std::vector<double> scores_;
  VocabMap ids_;
  std::unordered_map<uint64_t, int32_t> children_;
  std::vector<int32_t> leaf_{-1};  // node 0 is the root
  double unk_score_ = 0;
  std::optional<int32_t> unk_id_;
  bool byte_fallback_ = false;
};

}  // namespace bertcls::text
