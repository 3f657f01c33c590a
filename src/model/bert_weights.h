// The parameters of one BertForSequenceClassification: its config and one flat buffer
// with HF-named slices (bert_parameters.h). Read-only once loaded, so any number of
// threads can run the same weights at once, each with its own BertWorkspace; a trainer
// holds them mutably and updates the buffer in place. Kernels that want weights in
// another layout (packed once at load) keep that layout here, beside the buffer.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "model/bert_config.h"
#include "model/bert_parameters.h"
#include "model/packed_weights.h"

namespace bertcls::model {

class BertWeights {
 public:
  // Initialised as HF's _init_weights: normal(0, initializer_range) weights, zero biases,
  // unit LayerNorm weights, a zero padding row in the word embeddings. Throws Error for a
  // config the engine cannot run.
  explicit BertWeights(BertConfig config, uint64_t init_seed = 0);
  // Views point into the owned buffer: moving keeps them valid, copying would not.
  BertWeights(BertWeights&&) = default;
  BertWeights& operator=(BertWeights&&) = default;
  BertWeights(const BertWeights&) = delete;
  BertWeights& operator=(const BertWeights&) = delete;

  const BertConfig& config() const { return config_; }
  // Fixing problem_type (HF infers it at the first loss) is the only change a config takes.
  void set_problem_type(ProblemType type) { config_.problem_type = type; }

  std::span<float> parameters() { return params_; }
  std::span<const float> parameters() const { return params_; }
  const ParameterTensors& tensors() const { return p_; }
  // HF names and slices, in the buffer's order.
  const std::vector<NamedParameter>& named_parameters() const { return names_; }

  // Packs the dense layers once for inference (model/packed_weights.h); forward passes
  // without backward then run on them. For weights that no longer change: a write to
  // parameters() afterwards does not reach the packed copy. Throws Error for bf16 on a
  // CPU without it.
  void prepack(tensor::Precision precision);
  // Null until prepack().
  const PackedWeights* packed() const { return packed_.get(); }

 private:
  BertConfig config_;
  std::vector<NamedParameter> names_;
  std::vector<float> params_;
  ParameterTensors p_{};
  std::unique_ptr<const PackedWeights> packed_;
};

}  // namespace bertcls::model
