// BertForSequenceClassification on CPU: embeddings, NL encoder layers, pooler, dropout and
// a linear classifier, with an explicit backward for every parameter.
//
//   BertClassifier model(config);              // parameters as HF initialises them (seeded)
//   model.forward(batch, {.dropout = true, .backward = true, .seed = step_seed});
//   float loss = model.loss(batch);            // the head's loss; d(loss)/d(logits) kept
//   model.backward();                          // accumulates into grads()
//
// Loading from and saving to Hugging Face folders live in bert_checkpoint.h and
// model_folder.h. One model serves one thread of calls; parallelism is inside the ops.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "model/batch.h"
#include "model/bert_config.h"
#include "model/bert_parameters.h"
#include "model/dropout.h"
#include "tensor/arena.h"

namespace bertcls::model {

struct StepOptions {
  bool dropout = false;   // train mode: dropout active (model.train() in torch)
  bool backward = false;  // keep every layer's activations for backward()
  uint64_t seed = 0;      // keys dropout: the same seed gives the same masks
};

class BertClassifier {
 public:
  // Parameters initialised as HF's _init_weights: normal(0, initializer_range) weights,
  // zero biases, unit LayerNorm weights, a zero padding row in the word embeddings.
  explicit BertClassifier(BertConfig config, uint64_t init_seed = 0);
  // Views point into the owned buffers: moving keeps them valid, copying would not.
  BertClassifier(BertClassifier&&) = default;
  BertClassifier& operator=(BertClassifier&&) = default;
  BertClassifier(const BertClassifier&) = delete;
  BertClassifier& operator=(const BertClassifier&) = delete;

  const BertConfig& config() const { return config_; }
  BertConfig& config() { return config_; }

  // Logits [B, K] of a packed batch; the span is valid until the next forward().
  // Throws Error for ids, type ids or lengths the checkpoint cannot embed.
  std::span<const float> forward(const Batch& batch, const StepOptions& options = {});

  // The loss of the last forward's logits against the batch's labels, chosen by the
  // config's problem_type, which is inferred as HF infers it (and then fixed in the
  // config, as HF does) when config.json did not set it. class_weights [K] weight the
  // single-label cross-entropy. Keeps d(loss)/d(logits) for backward().
  float loss(const Batch& batch, std::span<const float> class_weights = {});

  // Accumulates d(loss)/d(parameter) into grads(); needs forward(.backward = true) then
  // loss() on the same batch. Call zero_grad() between steps (gradient accumulation
  // is simply several backward() calls).
  void backward();
  void zero_grad();

  // The flat buffers (see bert_parameters.h); grads() is empty until the first backward.
  std::span<float> parameters() { return params_; }
  std::span<const float> parameters() const { return params_; }
  std::span<float> grads() { return grads_; }
  const ParameterTensors& weights() const { return p_; }
  const ParameterTensors& weight_grads() const { return g_; }
  // HF names and slices, in the buffer's order.
  const std::vector<NamedParameter>& named_parameters() const { return names_; }

 private:
  struct LayerActivations {
    float *qkv, *att, *ctx, *res1, *ln1, *ln1_mean, *ln1_rstd, *fch, *fch_act, *res2, *ln2, *ln2_mean,
        *ln2_rstd;
  };
  struct Activations {
    float *emb, *emb_ln, *emb_mean, *emb_rstd, *x0, *attd;
    std::vector<LayerActivations> layers;  // [NL]; all alias one set when not kept for backward
    float *cls, *pool_pre, *pooled, *pooled_drop, *logits, *dlogits;
    // Backward scratch, laid out only for .backward = true.
    float *dx, *dres, *dproj, *dln1, *dctx, *dqkv, *datt, *dfch, *dcls, *dpool;
  };
  template <typename Take>
  void lay_out(Take take, bool keep_layers);
  void pack(const Batch& batch);
  DropoutSite dropout_site(int stream, float p) const;

  BertConfig config_;
  std::vector<NamedParameter> names_;
  std::vector<float> params_, grads_;
  ParameterTensors p_{}, g_{};
  tensor::Arena arena_;
  Activations a_;
  // The last forward's packing and options, copied so backward() needs no batch.
  std::vector<int32_t> ids_, type_ids_, offsets_;
  std::vector<int64_t> score_offsets_;
  StepOptions options_;
  bool have_forward_ = false, have_loss_ = false;
};

}  // namespace bertcls::model
