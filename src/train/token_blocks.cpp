#include "train/token_blocks.h"

#include <bertcls/error.h>

namespace bertcls::train {

TokenBlocks::TokenBlocks(std::size_t block_length) : block_length_(block_length) {
  if (block_length_ < 1) throw Error("token blocks: the block length must be at least 1");
}

void TokenBlocks::append(const text::Encoding& e) {
  ids_.insert(ids_.end(), e.ids.begin(), e.ids.end());
  for (std::size_t i = 0; i < e.size(); ++i)
    kinds_.push_back(e.special_tokens_mask[i] ? TokenKind::special
                     : e.tokens[i].starts_with("##") ? TokenKind::continuation
                                                     : TokenKind::word_start);
}

void TokenBlocks::finish() {
  if (ids_.size() < block_length_) return;
  const std::size_t total = ids_.size() / block_length_ * block_length_;
  ids_.resize(total);
  kinds_.resize(total);
}

std::vector<int> TokenBlocks::lengths() const {
  std::vector<int> out;
  for (std::size_t b = 0; b < size(); ++b) out.push_back(static_cast<int>(ids(b).size()));
  return out;
}

}  // namespace bertcls::train
