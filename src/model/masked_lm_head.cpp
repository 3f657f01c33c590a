#include "model/masked_lm_head.h"

#include <cstring>
#include <iterator>
#include <string>

#include <bertcls/error.h>
#include "model/activation.h"
#include "model/batch.h"
#include "model/classification_loss.h"
#include "model/layernorm.h"
#include "model/linear.h"

namespace bertcls::model {

std::span<const float> MaskedLmHead::forward(const ParameterTensors& p, const BertConfig& c, const float* x,
                                             std::span<const int32_t> labels, int T, tensor::Precision precision) {
  precision_ = precision;
  if (static_cast<int>(labels.size()) != T)
    throw Error("batch: the masked-LM head needs one label per token (" + std::to_string(T) + "), got " +
                std::to_string(labels.size()));
  rows_.clear();
  targets_.clear();
  for (int t = 0; t < T; t++) {
    if (labels[t] == Batch::kIgnoreIndex) continue;
    if (labels[t] < 0 || labels[t] >= c.vocab_size)
      throw Error("batch: masked-LM label " + std::to_string(labels[t]) + " at token " + std::to_string(t) +
                  " is neither -100 nor a token id below vocab_size " + std::to_string(c.vocab_size));
    rows_.push_back(t);
    targets_.push_back(labels[t]);
  }
  const size_t M = rows_.size(), C = c.hidden_size, V = c.vocab_size;
  if (M == 0) return {};
  const size_t sizes[] = {M * C, M * C, M * C, M * C, M, M, M * V, M * V, M * C, M * C};
  size_t total = 0;
  for (size_t n : sizes) total += tensor::Arena::footprint(n);
  // The masked count varies by a few percent from batch to batch: room for more than this
  // one keeps the arena from growing (a fresh block of [M, V] floats) step after step.
  arena_.reset(total + total / 8);
  float** buffers[] = {&in_, &pre_, &act_, &normed_, &mean_, &rstd_, &logits_, &dlogits_, &dnormed_, &dact_};
  for (size_t i = 0; i < std::size(sizes); i++) *buffers[i] = arena_.take(sizes[i]);
  for (size_t m = 0; m < M; m++) std::memcpy(in_ + m * C, x + (size_t)rows_[m] * C, sizeof(float) * C);
  const int Mi = static_cast<int>(M), Ci = c.hidden_size;
  linear_forward(pre_, in_, p.mlmw, p.mlmb, Mi, Ci, Ci, precision_);
  activation_forward(c.hidden_act, act_, pre_, (long)M * C);
  layernorm_forward(normed_, mean_, rstd_, act_, p.mlm_lnw, p.mlm_lnb, Mi, Ci, c.layer_norm_eps);
  linear_forward(logits_, normed_, p.wte, p.mlm_bias, Mi, Ci, c.vocab_size, precision_);
  return {logits_, M * V};
}

float MaskedLmHead::loss(const BertConfig& c) {
  if (rows_.empty()) return 0.0f;
  return cross_entropy_loss(dlogits_, logits_, targets_.data(), nullptr, static_cast<int>(rows_.size()), c.vocab_size);
}

void MaskedLmHead::backward(const ParameterTensors& p, const ParameterTensors& g, const BertConfig& c, float* dx) {
  const size_t M = rows_.size(), C = c.hidden_size;
  if (M == 0) return;
  const int Mi = static_cast<int>(M), Ci = c.hidden_size;
  // The decoder is a linear layer whose weight is wte: its weight gradient lands in g.wte.
  linear_backward(dnormed_, g.wte, g.mlm_bias, dlogits_, normed_, p.wte, Mi, Ci, c.vocab_size, precision_);
  layernorm_backward(dact_, g.mlm_lnw, g.mlm_lnb, dnormed_, act_, p.mlm_lnw, mean_, rstd_, Mi, Ci);
  activation_backward(c.hidden_act, dact_, dact_, pre_, (long)M * C);
  linear_backward(dnormed_, g.mlmw, g.mlmb, dact_, in_, p.mlmw, Mi, Ci, Ci, precision_);
  for (size_t m = 0; m < M; m++) std::memcpy(dx + (size_t)rows_[m] * C, dnormed_ + m * C, sizeof(float) * C);
}

}  // namespace bertcls::model
