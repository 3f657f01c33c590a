// What one thread needs to run a BertWeights: the activations of a step (one arena,
// sized from the batch and reused), the last batch's packing, d(loss)/d(logits) and the
// gradient buffer. Weights are shared and read-only here; a workspace is not shared.
//
//   BertWorkspace ws;
//   ws.forward(weights, batch, {.dropout = true, .backward = true, .seed = step_seed});
//   float loss = ws.loss(weights, batch);  // the head's loss; d(loss)/d(logits) kept
//   ws.backward(weights);                  // accumulates into grads()
//
// loss() and backward() must get the weights the last forward() ran.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "model/batch.h"
#include "model/bert_weights.h"
#include "model/dropout.h"
#include "model/masked_lm_head.h"
#include "tensor/arena.h"
#include "tensor/packed_linear.h"

namespace bertcls::model {

// Where a batch starts inside a larger batch it is a shard of (data-parallel training
// splits one batch into shards): the sequences, tokens and squared sequence lengths (the
// attention scores per head) before it. Dropout draws by position in the larger batch,
// so a shard gets exactly the masks the whole batch gives its rows.
struct PackedOrigin {
  uint64_t sequences = 0;
  uint64_t tokens = 0;
  uint64_t squared_lengths = 0;
};

struct StepOptions {
  bool dropout = false;   // train mode: dropout active (model.train() in torch)
  bool backward = false;  // keep every layer's activations for backward()
  uint64_t seed = 0;      // keys dropout: the same seed gives the same masks
  PackedOrigin origin{};  // this batch's place in the batch the seed is for
  // The dense layers' products on the flat buffer's weights (model/linear.h), forward and
  // backward: fp32, or bf16 with fp32 sums. Ignored where the weights' packed copy runs.
  tensor::Precision precision = tensor::Precision::fp32;
};

class BertWorkspace {
 public:
  // Logits [B, K] of a packed batch; the span is valid until the next forward(). Under
  // the masked-LM head, logits [M, V] of the M tokens batch.mlm_labels marks (see
  // masked_lm_head.h). Throws Error for ids, type ids or lengths the weights cannot embed.
  std::span<const float> forward(const BertWeights& w, const Batch& batch, const StepOptions& options = {});

  // The loss of the last forward's logits against the batch's labels, chosen by the
  // config's problem_type (inferred as HF infers it when unset; BertClassifier::loss
  // also fixes it). class_weights [K] weight the single-label cross-entropy. Under the
  // masked-LM head, the mean cross-entropy of the masked tokens. Keeps d(loss)/d(logits)
  // for backward().
  // `denominator` is what the mean divides by, for a batch that is a shard of a larger
  // one: that batch's sum of class weights (its number of sequences without weights), or
  // its sequences x K for multi-label and regression (see loss_denominator); 0: this
  // batch's own. The returned loss is then this shard's share of the larger batch's.
  float loss(const BertWeights& w, const Batch& batch, std::span<const float> class_weights = {},
             double denominator = 0.0);

  // Accumulates d(loss)/d(parameter) into grads(); needs forward(.backward = true) then
  // loss() on the same batch. Call zero_grad() between steps (gradient accumulation
  // is simply several backward() calls).
  void backward(const BertWeights& w);
  // Zeroes grads(). Of the word embeddings' gradient only the touched rows: the others
  // still hold the +0 the last zero_grad() left, as long as what the caller wrote into
  // grads() kept a zero a zero (a scale by a finite factor does). After anything else,
  // touch_all_word_rows() first. A batch touches a few hundred of rubert-tiny2's 84k rows.
  void zero_grad(const BertWeights& w);

  // The word-embedding rows whose gradient backward() wrote since the last zero_grad(),
  // each once, in order of first use (the batches' token ids but the padding id, whose
  // row nn.Embedding(padding_idx) never updates). Every other row's gradient is +0.
  // The masked-LM head's decoder is tied to the word embeddings: it touches every row.
  std::span<const int32_t> touched_word_rows() const { return touched_rows_; }
  // Counts every row as touched, for a caller that wrote something into their gradient.
  void touch_all_word_rows();

  // Same layout as the weights' buffer; empty until the first backward or zero_grad.
  std::span<float> grads() { return grads_; }
  const ParameterTensors& weight_grads() const { return g_; }

 private:
  struct LayerActivations {
    float *qkv, *att, *ctx, *res1, *ln1, *ln1_mean, *ln1_rstd, *fch, *fch_act, *res2, *ln2, *ln2_mean,
        *ln2_rstd;
  };
  struct Activations {
    float *emb, *emb_ln, *emb_mean, *emb_rstd, *x0, *attd;
    float *emb_drop = nullptr, *demb = nullptr, *demb_ln = nullptr;  // [T, E], only when E != C
    float* cls_drop = nullptr;  // [B, C], only for heads with a dropout on their input
    std::vector<LayerActivations> layers;  // [NL]; all alias one set when not kept for backward
    float *cls, *pool_pre, *pooled, *pooled_drop, *logits, *dlogits;
    // Backward scratch, laid out only for .backward = true.
    float *dx, *dres, *dproj, *dln1, *dctx, *dqkv, *datt, *dfch, *dcls, *dpool;
  };
  // scores: room for the attention probabilities (not kept by inference's fused attention).
  template <typename Take>
  void lay_out(Take take, const BertConfig& c, bool keep_layers, bool scores);
  void pack(const BertConfig& c, const Batch& batch);
  // A dropout site over [tokens, width], [sequences, width] or the attention scores.
  DropoutSite token_dropout(int stream, float p, int width) const;
  DropoutSite sequence_dropout(int stream, float p, int width) const;
  DropoutSite score_dropout(int stream, float p, int heads) const;

  void touch_word_row(int32_t row);

  std::vector<float> grads_;
  ParameterTensors g_{};
  std::vector<int32_t> touched_rows_;
  std::vector<uint8_t> row_touched_;  // [V], 1 for the rows in touched_rows_
  tensor::Arena arena_;
  Activations a_;
  MaskedLmHead mlm_;
  // The last forward's packing and options, copied so backward() needs no batch.
  std::vector<int32_t> ids_, type_ids_, offsets_;
  std::vector<int64_t> score_offsets_;
  StepOptions options_;
  bool have_forward_ = false, have_loss_ = false;
};

}  // namespace bertcls::model
