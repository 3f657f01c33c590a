// The "model" block: WordPiece (BERT), BPE (GPT-2, RoBERTa) or Unigram (XLM-R), behind
// the calls the Tokenizer makes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "text/bpe.h"
#include "text/unigram.h"
#include "text/wordpiece.h"

namespace bertcls::text {

class Model {
 public:
  Model() = default;
  Model(WordPiece m) : model_(std::move(m)) {}
  Model(Bpe m) : model_(std::move(m)) {}
  Model(Unigram m) : model_(std::move(m)) {}

  // Appends the tokens of chars [word.begin, word.end) of `text` to `out`.
  void tokenize(const NormalizedText& text, CharSpan word, int32_t type_id, Encoding& out) const {
    std::visit([&](const auto& m) { m.tokenize(text, word, type_id, out); }, model_);
  }
  std::optional<int32_t> token_to_id(std::string_view token) const {
    return std::visit([&](const auto& m) { return m.token_to_id(token); }, model_);
  }
  const std::string* id_to_token(int32_t id) const {
    return std::visit([&](const auto& m) { return m.id_to_token(id); }, model_);
  }
  size_t size() const {
    return std::visit([](const auto& m) { return m.size(); }, model_);
  }
  int32_t unk_id() const {  // -1 for a BPE or Unigram model without an unk token
    return std::visit([](const auto& m) { return m.unk_id(); }, model_);
  }

 private:
  std::variant<WordPiece, Bpe, Unigram> model_;
};

}  // namespace bertcls::text
