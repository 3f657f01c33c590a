// Texts to model inputs, the same way for training, validation, eval, predict and serve:
// the model's tokenizer without padding, max_length tokens per window, and long texts
// truncated (as HF: longest first for pairs), cut into overlapping windows, or refused.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <bertcls/classifier.h>

#include "io/dataset.h"
#include "text/tokenizer.h"
#include "train/encoded_examples.h"

namespace bertcls::pipeline {

class TextEncoder {
 public:
  // max_length: options.max_length, never more than the tokenizer's own truncation
  // length or the model's position embeddings (`positions`). Throws Error for a stride
  // that leaves a window nothing new.
  TextEncoder(text::Tokenizer tokenizer, std::size_t positions, const TextOptions& options);

  std::size_t max_length() const { return max_length_; }
  const TextOptions& options() const { return options_; }
  const text::Tokenizer& tokenizer() const { return tokenizer_; }
  // The same tokenizer without truncation: a text's every token (serve's /tokenize).
  const text::Tokenizer& untruncated_tokenizer() const { return untruncated_; }

  // Encodes in parallel; `mode` overrides options().long_texts. An error names the
  // input by where(i) ("train.csv:12", "text 3").
  train::EncodedExamples encode(const std::vector<TextInput>& inputs, const std::function<std::string(std::size_t)>& where,
                                std::optional<LongTexts> mode = std::nullopt) const;
  // The examples' texts (and pairs); errors name source:line.
  train::EncodedExamples encode(const std::vector<io::Example>& examples, const std::string& source) const;

 private:
  std::vector<text::Encoding> windows(const TextInput& input, LongTexts mode) const;

  text::Tokenizer tokenizer_;     // truncating to max_length_, no padding
  text::Tokenizer untruncated_;  // to measure a text before chunking or refusing it
  std::size_t max_length_ = 512;
  std::size_t stride_ = 0;
  TextOptions options_;
};

}  // namespace bertcls::pipeline
