#include "model/text_classifier.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "common/error.h"
#include "model/bert_checkpoint.h"

namespace bertcls::model {

TextClassifier TextClassifier::load(const std::filesystem::path& dir, std::vector<std::string>* warnings) {
  PretrainedModel pretrained = load_pretrained(dir);
  if (warnings) *warnings = pretrained.report.warnings(dir.string());
  return TextClassifier(std::move(pretrained.model), text::Tokenizer::from_directory(dir));
}

TextClassifier::TextClassifier(BertClassifier model, text::Tokenizer tokenizer)
    : model_(std::move(model)), tokenizer_(std::move(tokenizer)), untruncated_(tokenizer_) {
  size_t positions = static_cast<size_t>(model_.config().max_position_embeddings);
  max_length_ = tokenizer_.truncation() ? std::min(tokenizer_.truncation()->max_length, positions) : positions;
  text::TruncationParams truncation = tokenizer_.truncation().value_or(text::TruncationParams{});
  truncation.max_length = max_length_;
  tokenizer_.set_truncation(truncation);
  // Packed batches need no padding; a padding block in tokenizer.json would only add pads.
  tokenizer_.set_padding(std::nullopt);
  untruncated_.set_padding(std::nullopt);
  untruncated_.set_truncation(std::nullopt);
}

text::Encoding TextClassifier::encode(const TextInput& input, bool truncate) const {
  const text::Tokenizer& tok = truncate ? tokenizer_ : untruncated_;
  text::Encoding e = input.pair ? tok.encode_pair(input.text, *input.pair) : tok.encode(input.text);
  if (e.size() > max_length_)
    throw Error("the text has " + std::to_string(e.size()) + " tokens, more than the model's maximum of " +
                std::to_string(max_length_));
  return e;
}

ScoreFunction TextClassifier::score_function() const {
  const BertConfig& c = model_.config();
  if (c.problem_type_set && c.problem_type == ProblemType::regression) return ScoreFunction::identity;
  if (c.problem_type == ProblemType::multi_label_classification || c.num_labels() == 1)
    return ScoreFunction::sigmoid;
  return ScoreFunction::softmax;
}

namespace {

void apply_scores(ScoreFunction f, Prediction& p) {
  p.scores = p.logits;
  if (f == ScoreFunction::softmax) {
    float max = *std::max_element(p.scores.begin(), p.scores.end());
    double sum = 0;
    for (float& s : p.scores) sum += (s = std::exp(s - max));
    for (float& s : p.scores) s = static_cast<float>(s / sum);
  } else if (f == ScoreFunction::sigmoid) {
    for (float& s : p.scores) s = 1.0f / (1.0f + std::exp(-s));
  }
  p.label = static_cast<int>(std::max_element(p.scores.begin(), p.scores.end()) - p.scores.begin());
}

}  // namespace

std::vector<Prediction> TextClassifier::classify(const std::vector<TextInput>& inputs, int batch_size) {
  std::vector<text::Encoding> encodings;
  encodings.reserve(inputs.size());
  for (const auto& input : inputs) encodings.push_back(encode(input));
  std::vector<const text::Encoding*> pointers;
  for (const auto& e : encodings) pointers.push_back(&e);
  return classify_encoded(pointers, batch_size);
}

std::vector<Prediction> TextClassifier::classify_encoded(std::span<const text::Encoding* const> encodings,
                                                         int batch_size) {
  if (batch_size < 1) throw Error("batch size must be at least 1, got " + std::to_string(batch_size));
  std::vector<size_t> order(encodings.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return encodings[a]->size() < encodings[b]->size(); });
  const int K = model_.config().num_labels();
  const ScoreFunction f = score_function();
  std::vector<Prediction> out(encodings.size());
  for (size_t start = 0; start < order.size(); start += static_cast<size_t>(batch_size)) {
    size_t end = std::min(order.size(), start + static_cast<size_t>(batch_size));
    batch_.clear();
    for (size_t i = start; i < end; ++i) batch_.add_sequence(encodings[order[i]]->ids, encodings[order[i]]->type_ids);
    std::span<const float> logits = model_.forward(batch_);
    for (size_t i = start; i < end; ++i) {
      Prediction& p = out[order[i]];
      const float* row = logits.data() + (i - start) * static_cast<size_t>(K);
      p.logits.assign(row, row + K);
      apply_scores(f, p);
    }
  }
  return out;
}

}  // namespace bertcls::model
