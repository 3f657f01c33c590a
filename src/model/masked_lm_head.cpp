#include "model/masked_lm_head.h"

#include <cstring>
#include <string>

#include <bertcls/error.h>
#include "model/activation.h"
#include "model/batch.h"
#include "model/classification_loss.h"
#include "model/layernorm.h"
#include "model/linear.h"

namespace bertcls::model {

std::span<const float> MaskedLmHead::forward(const ParameterTensors& p, const BertConfig& c, const float* x,
                                             std::span<const int32_t> labels, int T) {
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
  for (std::vector<float>* buffer : {&in_, &pre_, &act_, &normed_}) buffer->resize(M * C);
  mean_.resize(M);
  rstd_.resize(M);
  logits_.resize(M * V);
  if (M == 0) return {};
  for (size_t m = 0; m < M; m++) std::memcpy(in_.data() + m * C, x + (size_t)rows_[m] * C, sizeof(float) * C);
  const int Mi = static_cast<int>(M), Ci = c.hidden_size;
  linear_forward(pre_.data(), in_.data(), p.mlmw, p.mlmb, Mi, Ci, Ci);
  activation_forward(c.hidden_act, act_.data(), pre_.data(), (long)M * C);
  layernorm_forward(normed_.data(), mean_.data(), rstd_.data(), act_.data(), p.mlm_lnw, p.mlm_lnb, Mi, Ci,
                    c.layer_norm_eps);
  linear_forward(logits_.data(), normed_.data(), p.wte, p.mlm_bias, Mi, Ci, c.vocab_size);
  return logits_;
}

float MaskedLmHead::loss() {
  dlogits_.resize(logits_.size());
  if (rows_.empty()) return 0.0f;
  const int M = static_cast<int>(rows_.size()), V = static_cast<int>(logits_.size() / rows_.size());
  return cross_entropy_loss(dlogits_.data(), logits_.data(), targets_.data(), nullptr, M, V);
}

void MaskedLmHead::backward(const ParameterTensors& p, const ParameterTensors& g, const BertConfig& c, float* dx) {
  const size_t M = rows_.size(), C = c.hidden_size;
  if (M == 0) return;
  const int Mi = static_cast<int>(M), Ci = c.hidden_size;
  dnormed_.resize(M * C);
  dact_.resize(M * C);
  // The decoder is a linear layer whose weight is wte: its weight gradient lands in g.wte.
  linear_backward(dnormed_.data(), g.wte, g.mlm_bias, dlogits_.data(), normed_.data(), p.wte, Mi, Ci, c.vocab_size);
  layernorm_backward(dact_.data(), g.mlm_lnw, g.mlm_lnb, dnormed_.data(), act_.data(), p.mlm_lnw, mean_.data(),
                     rstd_.data(), Mi, Ci);
  activation_backward(c.hidden_act, dact_.data(), dact_.data(), pre_.data(), (long)M * C);
  // in_'s gradient reuses dnormed_, free again.
  linear_backward(dnormed_.data(), g.mlmw, g.mlmb, dact_.data(), in_.data(), p.mlmw, Mi, Ci, Ci);
  for (size_t m = 0; m < M; m++) std::memcpy(dx + (size_t)rows_[m] * C, dnormed_.data() + m * C, sizeof(float) * C);
}

}  // namespace bertcls::model
