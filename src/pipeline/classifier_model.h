// What a loaded classifier is inside bertcls: the model folder's config, its weights
// (read-only, shared by every thread), its text encoder and a pool of per-thread
// workspaces. bertcls::Classifier (the public handle), the server and the CLI all run
// texts through here, so the same text gets the same tokens and scores everywhere.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <bertcls/classifier.h>

#include "hf/model_config.h"
#include "io/dataset.h"
#include "model/bert_weights.h"
#include "pipeline/text_encoder.h"
#include "pipeline/workspace_pool.h"
#include "train/encoded_examples.h"

namespace bertcls::pipeline {

class ClassifierModel {
 public:
  // A folder or a hub name (see Classifier::load).
  static std::shared_ptr<const ClassifierModel> load(const std::string& model, const TextOptions& text = {},
                                                     const InferenceOptions& inference = {});
  // Packs the weights' dense layers for `inference` (Error when the CPU lacks it).
  ClassifierModel(std::filesystem::path dir, hf::ModelConfig config, model::BertWeights weights,
                  text::Tokenizer tokenizer, const TextOptions& text, std::vector<std::string> warnings = {},
                  const InferenceOptions& inference = {});

  const TextEncoder& encoder() const { return encoder_; }
  // Texts as windows (errors name "text i", 1-based); `mode` overrides the long-text rule.
  train::EncodedExamples encode(const std::vector<TextInput>& inputs, std::optional<LongTexts> mode = std::nullopt) const;
  // One prediction per encoded example, in order. Thread-safe.
  std::vector<Prediction> predict_encoded(const train::EncodedExamples& encoded, int batch_size) const;
  std::vector<Prediction> predict(const std::vector<TextInput>& inputs, int batch_size) const;
  // Labelled examples whose label ids are the model's. Thread-safe.
  EvalResult evaluate(const std::vector<io::Example>& examples, Task task, const std::string& source,
                      int batch_size) const;
  void save(const std::filesystem::path& dir) const;
  // Builds the dense layers' kernels for every batch shape now (model/packed_weights.h's
  // warm_up), so the first predictions do not pay for them: for a server, not for a
  // one-off predict that would pay more than it saves. Thread-safe.
  void warm_up() const;

  const hf::ModelConfig& config() const { return config_; }
  const model::BertWeights& weights() const { return weights_; }
  const std::vector<std::string>& labels() const { return config_.id2label; }
  ScoreFunction score_function() const;
  Task task() const;
  const std::filesystem::path& dir() const { return dir_; }
  const std::vector<std::string>& warnings() const { return warnings_; }
  const InferenceOptions& inference() const { return inference_; }

 private:
  std::filesystem::path dir_;
  hf::ModelConfig config_;
  model::BertWeights weights_;
  TextEncoder encoder_;
  std::vector<std::string> warnings_;
  InferenceOptions inference_;
  mutable WorkspacePool workspaces_;
};

// Scores of logits by a score function (softmax, sigmoid, or the logits themselves).
std::vector<float> scores_of(ScoreFunction f, const std::vector<float>& logits);

// The labels whose scores are shown: k <= 0 all in label order, else the k best by
// score, best first (ties keep label order).
std::vector<int> top_labels(const std::vector<float>& scores, int k);

}  // namespace bertcls::pipeline
