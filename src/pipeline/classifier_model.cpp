#include "pipeline/classifier_model.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <bertcls/error.h>

#include "hf/hub_download.h"
#include "hf/model_folder.h"
#include "hf/pretrained.h"
#include "train/evaluation.h"
#include "pipeline/kernel_precision.h"

namespace bertcls::pipeline {

namespace {

tensor::Precision inference_precision(const InferenceOptions& o) {
  if (o.quantize == Quantization::Int8) {
    if (o.precision != Precision::Float32) throw Error("--quantize int8 and --precision bf16 exclude each other");
    return tensor::Precision::int8;
  }
  return pipeline::kernel_precision(o.precision);
}

model::BertWeights prepacked(model::BertWeights weights, const InferenceOptions& inference) {
  weights.prepack(inference_precision(inference));
  return weights;
}

}  // namespace

std::shared_ptr<const ClassifierModel> ClassifierModel::load(const std::string& model, const TextOptions& text,
                                                             const InferenceOptions& inference) {
  const std::filesystem::path dir = hf::resolve_model(model, hf::HubSettings::from_environment());
  hf::PretrainedModel pretrained = hf::load_pretrained(dir);
  std::vector<std::string> warnings = pretrained.report.warnings(dir.string());
  return std::make_shared<const ClassifierModel>(dir, std::move(pretrained.config), std::move(pretrained.weights),
                                                 text::Tokenizer::from_directory(dir), text, std::move(warnings),
                                                 inference);
}

ClassifierModel::ClassifierModel(std::filesystem::path dir, hf::ModelConfig config, model::BertWeights weights,
                                 text::Tokenizer tokenizer, const TextOptions& text, std::vector<std::string> warnings,
                                 const InferenceOptions& inference)
    : dir_(std::move(dir)),
      config_(std::move(config)),
      weights_(prepacked(std::move(weights), inference)),
      encoder_(std::move(tokenizer), static_cast<std::size_t>(weights_.config().max_sequence_length()), text),
      warnings_(std::move(warnings)),
      inference_(inference) {}

ScoreFunction ClassifierModel::score_function() const {
  const model::BertConfig& c = weights_.config();
  if (c.problem_type == model::ProblemType::regression) return ScoreFunction::Identity;
  if (c.problem_type == model::ProblemType::multi_label_classification || c.num_labels == 1)
    return ScoreFunction::Sigmoid;
  return ScoreFunction::Softmax;
}

Task ClassifierModel::task() const {
  switch (weights_.config().problem_type.value_or(model::ProblemType::single_label_classification)) {
    case model::ProblemType::multi_label_classification: return Task::MultiLabel;
    case model::ProblemType::regression: return Task::Regression;
    case model::ProblemType::single_label_classification: break;
  }
  return Task::SingleLabel;
}

train::EncodedExamples ClassifierModel::encode(const std::vector<TextInput>& inputs, std::optional<LongTexts> mode) const {
  return encoder_.encode(inputs, [](std::size_t i) { return "text " + std::to_string(i + 1); }, mode);
}

namespace {

// The public API takes batch sizes as int; a negative one must not wrap to a huge size_t.
std::size_t checked_batch_size(int batch_size) {
  if (batch_size < 1) throw Error("batch size must be at least 1, got " + std::to_string(batch_size));
  return static_cast<std::size_t>(batch_size);
}

void apply_scores(ScoreFunction f, Prediction& p) {
  p.scores = scores_of(f, p.logits);
  p.label = static_cast<int>(std::max_element(p.scores.begin(), p.scores.end()) - p.scores.begin());
}

}  // namespace

std::vector<Prediction> ClassifierModel::predict_encoded(const train::EncodedExamples& encoded, int batch_size) const {
  std::vector<float> logits;
  {
    WorkspacePool::Lease workspace = workspaces_.borrow();
    logits = train::predict_logits(weights_, *workspace, encoded, checked_batch_size(batch_size),
                                   encoder_.options().pooling);
  }
  const auto k = static_cast<std::size_t>(weights_.config().num_labels);
  const ScoreFunction f = score_function();
  std::vector<Prediction> out(encoded.examples);
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i].logits.assign(logits.begin() + static_cast<std::ptrdiff_t>(i * k),
                         logits.begin() + static_cast<std::ptrdiff_t>((i + 1) * k));
    apply_scores(f, out[i]);
  }
  return out;
}

std::vector<Prediction> ClassifierModel::predict(const std::vector<TextInput>& inputs, int batch_size) const {
  return predict_encoded(encode(inputs), batch_size);
}

EvalResult ClassifierModel::evaluate(const std::vector<io::Example>& examples, Task task, const std::string& source,
                                     int batch_size) const {
  try {
    train::check_head(weights_.config(), task, static_cast<int>(labels().size()));
  } catch (const Error& e) {
    rethrow_with_context(source, e);
  }
  const std::size_t batch = checked_batch_size(batch_size);
  const train::EncodedExamples encoded = encoder_.encode(examples, source);
  WorkspacePool::Lease workspace = workspaces_.borrow();
  return train::evaluate(weights_, *workspace, examples, encoded, task, batch, encoder_.options().pooling);
}

void ClassifierModel::warm_up() const { model::warm_up(*weights_.packed()); }

void ClassifierModel::save(const std::filesystem::path& dir) const {
  hf::save_model_folder(config_, weights_, &encoder_.tokenizer(), dir);
}

std::vector<float> scores_of(ScoreFunction f, const std::vector<float>& logits) {
  std::vector<float> scores = logits;
  if (f == ScoreFunction::Softmax) {
    const float max = *std::max_element(scores.begin(), scores.end());
    double sum = 0;
    for (float& s : scores) sum += (s = std::exp(s - max));
    for (float& s : scores) s = static_cast<float>(s / sum);
  } else if (f == ScoreFunction::Sigmoid) {
    for (float& s : scores) s = 1.0f / (1.0f + std::exp(-s));
  }
  return scores;
}

std::vector<int> top_labels(const std::vector<float>& scores, int k) {
  std::vector<int> ids(scores.size());
  std::iota(ids.begin(), ids.end(), 0);
  if (k > 0) {
    std::stable_sort(ids.begin(), ids.end(), [&](int a, int b) { return scores[a] > scores[b]; });
    ids.resize(std::min(ids.size(), static_cast<std::size_t>(k)));
  }
  return ids;
}

}  // namespace bertcls::pipeline
