// The words a WordPiece trainer learns from: each text through the tokenizer's
// BertNormalizer and BertPreTokenizer, every word counted, as HF's Trainer::feed counts
// the splits of tokenizer.normalize + pre_tokenize. Added tokens are not matched: a
// tokenizer being trained has none yet (BertWordPieceTokenizer.train registers its
// special tokens only after training).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "text/bert_normalizer.h"
#include "text/normalized_text.h"

namespace bertcls::text {

using WordCounts = std::unordered_map<std::u32string, uint64_t>;

class WordCounter {
 public:
  explicit WordCounter(BertNormalizer normalizer) : normalizer_(normalizer) {}

  // Throws Error "invalid UTF-8 at byte N" for a text that is not valid UTF-8.
  void add(std::string_view text);
  const WordCounts& counts() const { return counts_; }

 private:
  BertNormalizer normalizer_;
  WordCounts counts_;
  // Scratch reused from text to text.
  std::vector<char32_t> chars_;
  NormalizedText raw_, norm_;
  std::vector<CharSpan> words_;
};

}  // namespace bertcls::text
