#include "model/bert_workspace.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>

#include <bertcls/error.h>
#include "model/activation.h"
#include "model/attention.h"
#include "model/classification_loss.h"
#include "model/embedding.h"
#include "model/inference_layer.h"
#include "model/layernorm.h"
#include "model/linear.h"
#include "tensor/threads.h"

namespace bertcls::model {
namespace {

// Dropout streams: 0 embeddings, 1 + 3l + {0 attention probs, 1 attention output,
// 2 feed-forward output} for layer l, 1 + 3NL the head's dense output, 2 + 3NL its input.
constexpr int kEmbeddingStream = 0;
int layer_stream(int layer, int which) { return 1 + 3 * layer + which; }

// A dense layer's forward: on the packed copy when there is one (inference), else on the
// flat buffer's weights in the step's precision.
void dense_forward(const tensor::PackedLinear* packed, float* out, const float* inp, const float* weight,
                   const float* bias, int T, int IC, int OC, tensor::Precision precision) {
  if (packed != nullptr)
    packed->forward(out, inp, T);
  else
    linear_forward(out, inp, weight, bias, T, IC, OC, precision);
}

// acc += x: a residual connection's backward.
void add_into(float* acc, const float* x, long n) {
#pragma omp parallel for simd if (tensor::worth_parallel(n))
  for (long i = 0; i < n; i++) acc[i] += x[i];
}

}  // namespace

DropoutSite BertWorkspace::token_dropout(int stream, float p, int width) const {
  return {options_.dropout ? p : 0.0f, tensor::CounterRng(options_.seed, stream), options_.origin.tokens * width};
}

DropoutSite BertWorkspace::sequence_dropout(int stream, float p, int width) const {
  return {options_.dropout ? p : 0.0f, tensor::CounterRng(options_.seed, stream), options_.origin.sequences * width};
}

DropoutSite BertWorkspace::score_dropout(int stream, float p, int heads) const {
  return {options_.dropout ? p : 0.0f, tensor::CounterRng(options_.seed, stream),
          options_.origin.squared_lengths * heads};
}

void BertWorkspace::pack(const BertConfig& c, const Batch& batch) {
  const int B = batch.num_sequences(), T = batch.num_tokens();
  if (B < 1) throw Error("batch: no sequences");
  if (batch.offsets.front() != 0 || (int)batch.ids.size() != T || (int)batch.type_ids.size() != T)
    throw Error("batch: ids, type_ids and offsets disagree on the number of tokens");
  score_offsets_.assign(B + 1, 0);
  for (int b = 0; b < B; b++) {
    const int L = batch.offsets[b + 1] - batch.offsets[b];
    const int most = c.max_sequence_length();
    if (L < 1 || L > most)
      throw Error("batch: sequence " + std::to_string(b) + " has " + std::to_string(L) + " tokens; the model takes 1 to " +
                  std::to_string(most) + " (max_position_embeddings " + std::to_string(c.max_position_embeddings) +
                  (c.position_offset > 0 ? ", positions from " + std::to_string(c.position_offset) : std::string()) + ")");
    score_offsets_[b + 1] = score_offsets_[b] + (int64_t)c.num_attention_heads * L * L;
  }
  for (int t = 0; t < T; t++) {
    if (batch.ids[t] < 0 || batch.ids[t] >= c.vocab_size)
      throw Error("batch: token id " + std::to_string(batch.ids[t]) + " is outside the vocabulary of " +
                  std::to_string(c.vocab_size));
    // A model without token types ignores them.
    if (c.type_vocab_size > 0 && (batch.type_ids[t] < 0 || batch.type_ids[t] >= c.type_vocab_size))
      throw Error("batch: token type id " + std::to_string(batch.type_ids[t]) + " is outside type_vocab_size " +
                  std::to_string(c.type_vocab_size));
  }
  ids_.assign(batch.ids.begin(), batch.ids.end());
  type_ids_.assign(batch.type_ids.begin(), batch.type_ids.end());
  offsets_.assign(batch.offsets.begin(), batch.offsets.end());
}

template <typename Take>
void BertWorkspace::lay_out(Take take, const BertConfig& c, bool keep_layers, bool scores) {
  const size_t T = offsets_.back(), B = offsets_.size() - 1, S = score_offsets_.back();
  const size_t C = c.hidden_size, E = c.embedding_width(), I = c.intermediate_size, K = c.num_labels;
  const bool attention_dropout = options_.dropout && c.attention_probs_dropout_prob > 0.0f;
  a_.emb = take(T * E);
  a_.emb_ln = take(T * E);
  a_.emb_mean = take(T);
  a_.emb_rstd = take(T);
  a_.emb_drop = c.projects_embeddings() ? take(T * E) : nullptr;
  a_.x0 = take(T * C);
  // Dropped attention probabilities: backward recomputes them, so all layers share one.
  a_.attd = attention_dropout ? take(S) : nullptr;
  for (size_t l = 0; l < a_.layers.size(); l++) {
    LayerActivations& la = a_.layers[l];
    if (l > 0 && !keep_layers) {
      // Inference keeps one layer's buffers: each layer reads its input before it
      // overwrites the shared output buffer.
      la = a_.layers[0];
      continue;
    }
    la.qkv = take(T * 3 * C);
    la.att = scores ? take(S) : nullptr;
    la.ctx = take(T * C);
    la.res1 = take(T * C);
    la.ln1 = take(T * C);
    la.ln1_mean = take(T);
    la.ln1_rstd = take(T);
    la.fch = take(T * I);
    la.fch_act = take(T * I);
    la.res2 = take(T * C);
    la.ln2 = take(T * C);
    la.ln2_mean = take(T);
    la.ln2_rstd = take(T);
  }
  a_.cls = take(B * C);
  a_.cls_drop = c.head_input_dropout() ? take(B * C) : nullptr;
  a_.pool_pre = take(B * C);
  a_.pooled = take(B * C);
  a_.pooled_drop = take(B * C);
  a_.logits = take(B * K);
  a_.dlogits = take(B * K);
  if (!keep_layers) return;
  a_.dx = take(T * C);
  a_.dres = take(T * C);
  a_.dproj = take(T * C);
  a_.dln1 = take(T * C);
  a_.dctx = take(T * C);
  a_.dqkv = take(T * 3 * C);
  a_.datt = take(S);
  a_.dfch = take(T * I);
  a_.dcls = take(B * C);
  a_.dpool = take(B * C);
  a_.demb = c.projects_embeddings() ? take(T * E) : nullptr;
  a_.demb_ln = c.projects_embeddings() ? take(T * E) : nullptr;
}

std::span<const float> BertWorkspace::forward(const BertWeights& w, const Batch& batch, const StepOptions& options) {
  have_forward_ = have_loss_ = false;  // a batch rejected by pack() leaves nothing to backward
  const BertConfig& c = w.config();
  pack(c, batch);
  options_ = options;
  a_.layers.resize(c.num_hidden_layers);
  // Backward needs the unfused activations and the flat buffer's exact fp32 products.
  const PackedWeights* packed = options.backward ? nullptr : w.packed();
  // Inference on the packed layers (model/inference_layer.h) keeps no attention scores.
  const bool inference = packed != nullptr && !options.dropout;
  size_t total = 0;
  lay_out([&total](size_t n) -> float* { total += tensor::Arena::footprint(n); return nullptr; }, c, options.backward,
          !inference);
  arena_.reset(total);
  lay_out([this](size_t n) { return arena_.take(n); }, c, options.backward, !inference);

  const ParameterTensors& p = w.tensors();
  const int T = offsets_.back(), B = static_cast<int>(offsets_.size()) - 1;
  const int C = c.hidden_size, NH = c.num_attention_heads, HS = c.head_size(), I = c.intermediate_size;
  const int K = c.num_labels, E = c.embedding_width();
  const Packing pk{offsets_.data(), score_offsets_.data(), B};
  const float eps = c.layer_norm_eps;
  const float attention_output_dropout = c.attention_output_dropout() ? c.hidden_dropout_prob : 0.0f;

  embedding_forward(a_.emb, ids_.data(), type_ids_.data(), pk, p.wte, p.wpe, p.wtt, E, c.position_offset);
  layernorm_forward(a_.emb_ln, a_.emb_mean, a_.emb_rstd, a_.emb, p.emb_lnw, p.emb_lnb, T, E, eps);
  auto packed_layer = [packed](int l) { return packed != nullptr ? &packed->layers[l] : nullptr; };
  if (c.projects_embeddings()) {
    dropout_forward(token_dropout(kEmbeddingStream, c.hidden_dropout_prob, E), a_.emb_drop, a_.emb_ln, (long)T * E);
    dense_forward(packed != nullptr ? &*packed->proj : nullptr, a_.x0, a_.emb_drop, p.projw, p.projb, T, E, C, options.precision);
  } else {
    dropout_forward(token_dropout(kEmbeddingStream, c.hidden_dropout_prob, E), a_.x0, a_.emb_ln, (long)T * C);
  }
  const float* x = a_.x0;
  // A classification head reads each sequence's first row only: the last layer computes
  // no other row past its keys and values, and leaves those rows in a_.cls.
  const bool first_rows_only = inference && c.head != Head::masked_lm && c.num_hidden_layers > 0;
  for (int l = 0; l < c.num_hidden_layers; l++) {
    const LayerActivations& la = a_.layers[l];
    const LayerTensors lw = layer_tensors(p, c, l);
    const PackedLayer* pl = packed_layer(l);
    if (inference) {
      const bool first_only = first_rows_only && l == c.num_hidden_layers - 1;
      float* out = first_only ? a_.cls : la.ln2;
      inference_layer_forward(out, x, *pl, lw, c, pk, first_only, {la.qkv, la.ctx, la.res1, la.ln1, la.fch, la.fch_act});
      x = out;
      continue;
    }
    dense_forward(pl ? &pl->qkv : nullptr, la.qkv, x, lw.qkvw, lw.qkvb, T, C, 3 * C, options.precision);
    attention_forward(la.ctx, la.att, a_.attd, la.qkv, pk, NH, HS,
                      score_dropout(layer_stream(l, 0), c.attention_probs_dropout_prob, NH));
    dense_forward(pl ? &pl->attproj : nullptr, la.res1, la.ctx, lw.attprojw, lw.attprojb, T, C, C, options.precision);
    dropout_add_forward(token_dropout(layer_stream(l, 1), attention_output_dropout, C), la.res1, la.res1, x, (long)T * C);
    layernorm_forward(la.ln1, la.ln1_mean, la.ln1_rstd, la.res1, lw.ln1w, lw.ln1b, T, C, eps);
    if (pl != nullptr && pl->fc.epilogue() != tensor::Epilogue::none) {
      pl->fc.forward(la.fch_act, la.ln1, T);  // GELU fused
    } else {
      dense_forward(pl ? &pl->fc : nullptr, la.fch, la.ln1, lw.fcw, lw.fcb, T, C, I, options.precision);
      activation_forward(c.hidden_act, la.fch_act, la.fch, (long)T * I);
    }
    dense_forward(pl ? &pl->fcproj : nullptr, la.res2, la.fch_act, lw.fcprojw, lw.fcprojb, T, I, C, options.precision);
    dropout_add_forward(token_dropout(layer_stream(l, 2), c.hidden_dropout_prob, C), la.res2, la.res2, la.ln1,
                        (long)T * C);
    layernorm_forward(la.ln2, la.ln2_mean, la.ln2_rstd, la.res2, lw.ln2w, lw.ln2b, T, C, eps);
    x = la.ln2;
  }
  if (c.head == Head::masked_lm) {
    const std::span<const float> logits = mlm_.forward(p, c, x, batch.mlm_labels, T, options.precision);
    have_forward_ = true;
    return logits;
  }
  // The head reads each sequence's first token ([CLS], <s>).
  if (!first_rows_only)
    for (int b = 0; b < B; b++) std::memcpy(a_.cls + (size_t)b * C, x + (size_t)offsets_[b] * C, sizeof(float) * C);
  const float* head_in = a_.cls;
  if (c.head_input_dropout()) {
    dropout_forward(sequence_dropout(layer_stream(c.num_hidden_layers, 1), c.classifier_dropout, C), a_.cls_drop, a_.cls,
                    (long)B * C);
    head_in = a_.cls_drop;
  }
  dense_forward(packed ? &packed->pool : nullptr, a_.pool_pre, head_in, p.poolw, p.poolb, B, C, C, options.precision);
  activation_forward(c.head_activation(), a_.pooled, a_.pool_pre, (long)B * C);
  dropout_forward(sequence_dropout(layer_stream(c.num_hidden_layers, 0), c.classifier_dropout, C), a_.pooled_drop, a_.pooled,
                  (long)B * C);
  dense_forward(packed ? &packed->cls : nullptr, a_.logits, a_.pooled_drop, p.clsw, p.clsb, B, C, K, options.precision);
  have_forward_ = true;
  return {a_.logits, (size_t)B * K};
}

float BertWorkspace::loss(const BertWeights& w, const Batch& batch, std::span<const float> class_weights,
                          double denominator) {
  if (!have_forward_) throw std::logic_error("BertWorkspace::loss before forward");
  const int B = static_cast<int>(offsets_.size()) - 1, K = w.config().num_labels;
  if (batch.num_sequences() != B) throw std::logic_error("BertWorkspace::loss: not the batch of the last forward");
  if (w.config().head == Head::masked_lm) {
    have_loss_ = true;
    return mlm_.loss(w.config());
  }
  const bool integer_labels = !batch.class_labels.empty();
  const ProblemType problem_type = w.config().problem_type.value_or(infer_problem_type(K, integer_labels));
  float result = 0.0f;
  switch (problem_type) {
    case ProblemType::single_label_classification: {
      if ((int)batch.class_labels.size() != B) throw Error("batch: single-label classification needs one class label per sequence");
      for (int32_t y : batch.class_labels)
        if (y < 0 || y >= K) throw Error("batch: class label " + std::to_string(y) + " is outside 0.." + std::to_string(K - 1));
      if (!class_weights.empty() && (int)class_weights.size() != K)
        throw Error("class weights: " + std::to_string(class_weights.size()) + " given for " + std::to_string(K) + " labels");
      result = cross_entropy_loss(a_.dlogits, a_.logits, batch.class_labels.data(),
                                  class_weights.empty() ? nullptr : class_weights.data(), B, K, denominator);
      break;
    }
    case ProblemType::multi_label_classification:
    case ProblemType::regression: {
      std::span<const float> targets = batch.float_labels;
      if (integer_labels) {
        // Integer labels for a float head (regression with one label): compare as floats.
        if ((int)batch.class_labels.size() != B * K) throw Error("batch: the head needs " + std::to_string(K) + " targets per sequence");
        std::transform(batch.class_labels.begin(), batch.class_labels.end(), a_.dlogits, [](int32_t y) { return (float)y; });
        targets = {a_.dlogits, (size_t)B * K};
      }
      if ((int)targets.size() != B * K) throw Error("batch: the head needs " + std::to_string(K) + " float targets per sequence");
      result = problem_type == ProblemType::regression
                   ? mse_loss(a_.dlogits, a_.logits, targets.data(), B, K, denominator)
                   : bce_with_logits_loss(a_.dlogits, a_.logits, targets.data(), B, K, denominator);
      break;
    }
  }
  have_loss_ = true;
  return result;
}

void BertWorkspace::zero_grad(const BertWeights& w) {
  const BertConfig& c = w.config();
  if (grads_.size() != w.parameters().size()) {
    grads_.assign(w.parameters().size(), 0.0f);
    g_ = point_parameters(grads_.data(), c);
    touched_rows_.clear();
    row_touched_.assign(static_cast<size_t>(c.vocab_size), 0);
    return;
  }
  const size_t C = static_cast<size_t>(c.embedding_width());
  float* const wte = g_.wte;
  float* const wte_end = wte + static_cast<size_t>(c.vocab_size) * C;
  std::fill(grads_.data(), wte, 0.0f);
  std::fill(wte_end, grads_.data() + grads_.size(), 0.0f);
  for (int32_t row : touched_rows_) {
    std::fill_n(wte + static_cast<size_t>(row) * C, C, 0.0f);
    row_touched_[static_cast<size_t>(row)] = 0;
  }
  touched_rows_.clear();
}

void BertWorkspace::touch_word_row(int32_t row) {
  uint8_t& touched = row_touched_[static_cast<size_t>(row)];
  if (touched) return;
  touched = 1;
  touched_rows_.push_back(row);
}

void BertWorkspace::touch_all_word_rows() {
  for (size_t row = 0; row < row_touched_.size(); ++row) touch_word_row(static_cast<int32_t>(row));
}

void BertWorkspace::backward(const BertWeights& w) {
  if (!have_loss_ || !options_.backward)
    throw std::logic_error("BertWorkspace::backward needs forward(.backward = true) and loss() first");
  if (grads_.size() != w.parameters().size()) zero_grad(w);
  const BertConfig& c = w.config();
  const ParameterTensors& p = w.tensors();
  const int T = offsets_.back(), B = static_cast<int>(offsets_.size()) - 1;
  const int C = c.hidden_size, NH = c.num_attention_heads, HS = c.head_size(), I = c.intermediate_size;
  const int K = c.num_labels, E = c.embedding_width();
  const Packing pk{offsets_.data(), score_offsets_.data(), B};
  const float attention_output_dropout = c.attention_output_dropout() ? c.hidden_dropout_prob : 0.0f;

  std::fill_n(a_.dx, (size_t)T * C, 0.0f);
  if (c.head == Head::masked_lm) {
    mlm_.backward(p, g_, c, a_.dx);
  } else {
    // Head: logits = clsw @ dropout(act(poolw @ [dropout](cls) + poolb)) + clsb.
    linear_backward(a_.dpool, g_.clsw, g_.clsb, a_.dlogits, a_.pooled_drop, p.clsw, B, C, K, options_.precision);
    dropout_backward(sequence_dropout(layer_stream(c.num_hidden_layers, 0), c.classifier_dropout, C), a_.dpool,
                     a_.dpool, (long)B * C);
    activation_backward(c.head_activation(), a_.dpool, a_.dpool, a_.pool_pre, (long)B * C);
    linear_backward(a_.dcls, g_.poolw, g_.poolb, a_.dpool, c.head_input_dropout() ? a_.cls_drop : a_.cls, p.poolw, B,
                    C, C, options_.precision);
    if (c.head_input_dropout())
      dropout_backward(sequence_dropout(layer_stream(c.num_hidden_layers, 1), c.classifier_dropout, C), a_.dcls,
                       a_.dcls, (long)B * C);
    for (int b = 0; b < B; b++)
      std::memcpy(a_.dx + (size_t)offsets_[b] * C, a_.dcls + (size_t)b * C, sizeof(float) * C);
  }

  // a_.dx holds d(loss)/d(layer output) going down, d(loss)/d(layer input) coming out.
  for (int l = c.num_hidden_layers - 1; l >= 0; l--) {
    const LayerActivations& la = a_.layers[l];
    const LayerTensors lw = layer_tensors(p, c, l), lg = layer_tensors(g_, c, l);
    const float* x = l == 0 ? a_.x0 : a_.layers[l - 1].ln2;
    layernorm_backward(a_.dres, lg.ln2w, lg.ln2b, a_.dx, la.res2, lw.ln2w, la.ln2_mean, la.ln2_rstd, T, C);
    dropout_backward(token_dropout(layer_stream(l, 2), c.hidden_dropout_prob, C), a_.dproj, a_.dres, (long)T * C);
    linear_backward(a_.dfch, lg.fcprojw, lg.fcprojb, a_.dproj, la.fch_act, lw.fcprojw, T, I, C, options_.precision);
    activation_backward(c.hidden_act, a_.dfch, a_.dfch, la.fch, (long)T * I);
    linear_backward(a_.dln1, lg.fcw, lg.fcb, a_.dfch, la.ln1, lw.fcw, T, C, I, options_.precision);
    add_into(a_.dln1, a_.dres, (long)T * C);  // the residual around the feed-forward
    layernorm_backward(a_.dres, lg.ln1w, lg.ln1b, a_.dln1, la.res1, lw.ln1w, la.ln1_mean, la.ln1_rstd, T, C);
    dropout_backward(token_dropout(layer_stream(l, 1), attention_output_dropout, C), a_.dproj, a_.dres, (long)T * C);
    linear_backward(a_.dctx, lg.attprojw, lg.attprojb, a_.dproj, la.ctx, lw.attprojw, T, C, C, options_.precision);
    attention_backward(a_.dqkv, a_.datt, a_.dctx, la.qkv, la.att, pk, NH, HS,
                       score_dropout(layer_stream(l, 0), c.attention_probs_dropout_prob, NH));
    linear_backward(a_.dx, lg.qkvw, lg.qkvb, a_.dqkv, x, lw.qkvw, T, C, 3 * C, options_.precision);
    add_into(a_.dx, a_.dres, (long)T * C);  // the residual around attention
  }
  // d(loss)/d(embedding LayerNorm output), then through the LayerNorm into demb.
  float* dnormed = a_.dx;
  float* demb = a_.dres;
  if (c.projects_embeddings()) {
    linear_backward(a_.demb_ln, g_.projw, g_.projb, a_.dx, a_.emb_drop, p.projw, T, E, C, options_.precision);
    dnormed = a_.demb_ln;
    demb = a_.demb;
  }
  dropout_backward(token_dropout(kEmbeddingStream, c.hidden_dropout_prob, E), dnormed, dnormed, (long)T * E);
  layernorm_backward(demb, g_.emb_lnw, g_.emb_lnb, dnormed, a_.emb, p.emb_lnw, a_.emb_mean, a_.emb_rstd, T, E);
  // Sinusoidal positions are fixed (requires_grad = False in HF): they get no gradient.
  embedding_backward(g_.wte, c.sinusoidal_positions ? nullptr : g_.wpe, g_.wtt, demb, ids_.data(), type_ids_.data(),
                     pk, E, c.pad_token_id, c.position_offset);
  if (c.head == Head::masked_lm) touch_all_word_rows();  // the tied decoder's gradient
  for (int t = 0; t < T; t++)
    if (ids_[t] != c.pad_token_id) touch_word_row(ids_[t]);
}

}  // namespace bertcls::model
