#include "pipeline/text_encoder.h"

#include <algorithm>

#include <bertcls/error.h>

namespace bertcls::pipeline {

TextEncoder::TextEncoder(text::Tokenizer tokenizer, std::size_t positions, const TextOptions& options)
    : tokenizer_(std::move(tokenizer)), untruncated_(tokenizer_), options_(options) {
  max_length_ = positions;
  if (tokenizer_.truncation()) max_length_ = std::min(max_length_, tokenizer_.truncation()->max_length);
  if (options.max_length > 0) max_length_ = std::min(max_length_, options.max_length);
  text::TruncationParams truncation = tokenizer_.truncation().value_or(text::TruncationParams{});
  truncation.max_length = max_length_;
  tokenizer_.set_truncation(truncation);
  // Packed batches need no padding; a padding block in tokenizer.json would only add pads.
  tokenizer_.set_padding(std::nullopt);
  untruncated_.set_padding(std::nullopt);
  untruncated_.set_truncation(std::nullopt);
  const std::size_t window = max_length_ - std::min(max_length_, tokenizer_.added_tokens(false));
  stride_ = options.stride.value_or(window / 4);
  if (options.long_texts == LongTexts::Chunk && stride_ >= window)
    throw Error("stride " + std::to_string(stride_) + ": windows of " + std::to_string(max_length_) +
                " tokens hold " + std::to_string(window) + " text tokens, so the stride must be smaller");
}

std::vector<text::Encoding> TextEncoder::windows(const TextInput& input, LongTexts mode) const {
  if (mode == LongTexts::Truncate)
    return {input.pair ? tokenizer_.encode_pair(input.text, *input.pair) : tokenizer_.encode(input.text)};
  if (mode == LongTexts::Chunk) {
    if (input.pair) throw Error("long texts are chunked one text at a time; text pairs can only be truncated");
    return untruncated_.encode_windows(input.text, max_length_, stride_);
  }
  text::Encoding e = input.pair ? untruncated_.encode_pair(input.text, *input.pair) : untruncated_.encode(input.text);
  if (e.size() > max_length_)
    throw Error("the text has " + std::to_string(e.size()) + " tokens, more than the model's maximum of " +
                std::to_string(max_length_));
  return {std::move(e)};
}

train::EncodedExamples TextEncoder::encode(const std::vector<TextInput>& inputs,
                                           const std::function<std::string(std::size_t)>& where,
                                           std::optional<LongTexts> mode) const {
  const LongTexts long_texts = mode.value_or(options_.long_texts);
  std::vector<std::vector<text::Encoding>> encoded(inputs.size());
  std::string error;
  std::size_t error_index = inputs.size();
#pragma omp parallel for schedule(dynamic, 64) if (inputs.size() > 64)
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    try {
      encoded[i] = windows(inputs[i], long_texts);
    } catch (const std::exception& e) {
#pragma omp critical
      if (i < error_index) {  // report the first bad input, whatever the thread timing
        error_index = i;
        error = e.what();
      }
    }
  }
  if (error_index < inputs.size()) throw Error(where(error_index) + ": " + error);

  train::EncodedExamples out;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    for (const text::Encoding& e : encoded[i]) out.add_window(e.ids, e.type_ids, i);
    encoded[i].clear();  // free as we go: encodings carry token strings and offsets
  }
  return out;
}

train::EncodedExamples TextEncoder::encode(const std::vector<io::Example>& examples, const std::string& source) const {
  std::vector<TextInput> inputs;
  inputs.reserve(examples.size());
  for (const io::Example& ex : examples)
    inputs.push_back({ex.text, ex.text_pair.empty() ? std::nullopt : std::optional<std::string>(ex.text_pair)});
  return encode(inputs, [&](std::size_t i) { return source + ":" + std::to_string(examples[i].line); });
}

}  // namespace bertcls::pipeline
