// BertForMaskedLM's head (HF's cls.predictions) on the masked tokens of a packed batch:
//   h      = LayerNorm(hidden_act(x @ mlmw^T + mlmb))            transform, [M, C]
//   logits = h @ wte^T + mlm_bias                                 decoder tied to wte, [M, V]
//   loss   = mean over the M masked tokens of cross-entropy(logits, label)
// HF runs the decoder on all T tokens and ignores the unmasked ones (label -100) in the
// loss; only the M masked rows change the loss, so only they are gathered and computed:
// with 15% masking that is a sixth of the [T, V] product, the largest of a step.
// Its activations are its own (sized by M, not by the batch's T), in an arena reused
// across steps.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "model/bert_config.h"
#include "model/bert_parameters.h"
#include "tensor/arena.h"
#include "tensor/packed_linear.h"

namespace bertcls::model {

class MaskedLmHead {
 public:
  // Runs the head on the rows t of x [T, C] whose labels[t] is not Batch::kIgnoreIndex;
  // returns their logits [M, V] in row order, valid until the next forward(). Throws
  // Error unless labels has T entries, each ignored or a token id below V. Its two dense
  // products run in `precision`, forward and backward (model/linear.h).
  std::span<const float> forward(const ParameterTensors& p, const BertConfig& c, const float* x,
                                 std::span<const int32_t> labels, int T, tensor::Precision precision);
  // nn.CrossEntropyLoss(ignore_index=-100) of the last forward: the mean over the masked
  // tokens. Keeps d(loss)/d(logits). No masked token gives 0 (torch gives NaN, a mean over
  // nothing) and a zero gradient, so a batch that drew no mask leaves the model as it is.
  float loss(const BertConfig& c);
  // Accumulates the head's gradients into g (the decoder's into every row of g.wte) and
  // writes d(loss)/d(x) into the masked rows of dx [T, C]; the caller zeroes the others.
  void backward(const ParameterTensors& p, const ParameterTensors& g, const BertConfig& c, float* dx);

  // The masked rows of the last forward, in order.
  std::span<const int32_t> rows() const { return rows_; }

 private:
  std::vector<int32_t> rows_, targets_;  // [M]
  tensor::Precision precision_ = tensor::Precision::fp32;
  tensor::Arena arena_;
  // [M, C] but mean_, rstd_ [M] and logits_, dlogits_ [M, V]; dnormed_ also holds the
  // gradient of in_ once the LayerNorm's backward has read it.
  float *in_ = nullptr, *pre_ = nullptr, *act_ = nullptr, *normed_ = nullptr, *mean_ = nullptr, *rstd_ = nullptr,
        *logits_ = nullptr, *dlogits_ = nullptr, *dnormed_ = nullptr, *dact_ = nullptr;
};

}  // namespace bertcls::model
