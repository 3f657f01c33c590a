// One trainable BertForSequenceClassification: its weights and the workspace of the one
// thread that trains it (llm.c's GPT2 struct). Inference that shares weights between
// threads holds a BertWeights and a BertWorkspace per thread instead.
//
//   BertClassifier model(config);              // parameters as HF initialises them (seeded)
//   model.forward(batch, {.dropout = true, .backward = true, .seed = step_seed});
//   float loss = model.loss(batch);            // the head's loss; d(loss)/d(logits) kept
//   model.backward();                          // accumulates into grads()
//
// Loading from and saving to Hugging Face folders live in hf/.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "model/bert_weights.h"
#include "model/bert_workspace.h"

namespace bertcls::model {

class BertClassifier {
 public:
  explicit BertClassifier(BertConfig config, uint64_t init_seed = 0) : weights_(config, init_seed) {}
  explicit BertClassifier(BertWeights weights) : weights_(std::move(weights)) {}

  const BertConfig& config() const { return weights_.config(); }
  BertWeights& weights() { return weights_; }
  const BertWeights& weights() const { return weights_; }

  std::span<const float> forward(const Batch& batch, const StepOptions& options = {}) {
    return work_.forward(weights_, batch, options);
  }
  // As BertWorkspace::loss, and an inferred problem_type is then fixed in the config, as
  // HF writes it into model.config (so a saved folder keeps it).
  float loss(const Batch& batch, std::span<const float> class_weights = {}, double denominator = 0.0);
  void backward() { work_.backward(weights_); }
  void zero_grad() { work_.zero_grad(weights_); }

  BertWorkspace& workspace() { return work_; }

  std::span<float> parameters() { return weights_.parameters(); }
  std::span<const float> parameters() const { return weights_.parameters(); }
  std::span<float> grads() { return work_.grads(); }
  const ParameterTensors& tensors() const { return weights_.tensors(); }
  const ParameterTensors& weight_grads() const { return work_.weight_grads(); }
  const std::vector<NamedParameter>& named_parameters() const { return weights_.named_parameters(); }

 private:
  BertWeights weights_;
  BertWorkspace work_;
};

}  // namespace bertcls::model
