// A corpus cut into pre-training sequences as run_mlm.py's group_texts cuts it: every text
// encoded with its special tokens ([CLS] text [SEP]), all of them concatenated in corpus
// order, and the stream cut into blocks of block_length tokens; the remainder shorter than
// a block is dropped, unless the whole corpus is shorter than one block (then it is the
// one block). Against one text per sequence, this loses no token to truncation and gives
// every step batch_size * block_length tokens, which short texts (tweets of ~20 tokens)
// would otherwise spread over many tiny attention calls; and it is what a model
// pre-trained with run_mlm.py saw. A block may start inside a text, as there.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "text/encoding.h"
#include "train/mlm_masking.h"

namespace bertcls::train {

class TokenBlocks {
 public:
  // Throws Error unless block_length >= 1.
  explicit TokenBlocks(std::size_t block_length);

  // Appends one encoded text (its special_tokens_mask and "##" pieces give the kinds).
  void append(const text::Encoding& encoding);
  // Drops the remainder (see above); call once, after the last append.
  void finish();

  std::size_t block_length() const { return block_length_; }
  std::size_t size() const { return (ids_.size() + block_length_ - 1) / block_length_; }  // blocks
  std::size_t tokens() const { return ids_.size(); }
  std::span<const std::int32_t> ids(std::size_t block) const { return slice(std::span<const std::int32_t>(ids_), block); }
  std::span<const TokenKind> kinds(std::size_t block) const { return slice(std::span<const TokenKind>(kinds_), block); }
  // Every block's length, for train/batching.h.
  std::vector<int> lengths() const;

 private:
  template <typename T>
  std::span<const T> slice(std::span<const T> all, std::size_t block) const {
    const std::size_t begin = block * block_length_;
    return all.subspan(begin, std::min(block_length_, all.size() - begin));
  }

  std::size_t block_length_;
  std::vector<std::int32_t> ids_;
  std::vector<TokenKind> kinds_;
};

}  // namespace bertcls::train
