// Texts in, label scores out: the tokenizer and the BertClassifier of one model folder,
// run as HF's text-classification pipeline scores them, in length-sorted packed batches.
//
//   auto clf = TextClassifier::load("out/model");
//   auto preds = clf.classify({"отличный день", "всё плохо"});
//   preds[0].scores[clf.labels()...]
//
// Used by `bertcls predict`, `bertcls eval` and `bertcls serve`. Not thread-safe: one
// TextClassifier per thread (the ops inside a batch already use every core).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "model/bert_classifier.h"
#include "text/tokenizer.h"

namespace bertcls::model {

// How logits become scores, as HF's pipeline decides: sigmoid for multi-label or a
// single output, softmax otherwise; regression keeps the raw value.
enum class ScoreFunction { softmax, sigmoid, identity };

struct Prediction {
  std::vector<float> logits;  // [K]
  std::vector<float> scores;  // [K]
  int label = 0;              // argmax of the scores
};

struct TextInput {
  std::string text;
  std::optional<std::string> pair;
};

class TextClassifier {
 public:
  // Warnings (missing or unexpected weights, as HF prints them) go to `warnings` when
  // given: a folder whose classifier was never trained still loads, but says so.
  static TextClassifier load(const std::filesystem::path& dir, std::vector<std::string>* warnings = nullptr);
  TextClassifier(BertClassifier model, text::Tokenizer tokenizer);

  // Tokens per text, special tokens included: the tokenizer's truncation length, never
  // more than the model's position embeddings.
  size_t max_length() const { return max_length_; }
  // Encodes with truncation to max_length(), or, with truncate = false, throws Error
  // when the text is longer (the caller decides how to report it).
  text::Encoding encode(const TextInput& input, bool truncate = true) const;

  std::vector<Prediction> classify(const std::vector<TextInput>& inputs, int batch_size = 32);
  // The encodings are run sorted by length, batch_size at a time, so batches stay dense;
  // results come back in input order.
  std::vector<Prediction> classify_encoded(std::span<const text::Encoding* const> encodings, int batch_size = 32);

  const BertConfig& config() const { return model_.config(); }
  const std::vector<std::string>& labels() const { return model_.config().id2label; }
  ScoreFunction score_function() const;
  const text::Tokenizer& tokenizer() const { return tokenizer_; }

 private:
  BertClassifier model_;
  text::Tokenizer tokenizer_;
  text::Tokenizer untruncated_;  // to tell how long a text is before refusing it
  size_t max_length_ = 512;
  Batch batch_;
};

}  // namespace bertcls::model
