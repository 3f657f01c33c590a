// The losses of BertForSequenceClassification's three heads, with torch's reductions.
// Each returns the loss and, when dlogits is not null, writes d(loss)/d(logits) [B, K].
#pragma once

#include <cstdint>

#include "model/bert_config.h"

namespace bertcls::model {

// HF's choice when config.json names no problem_type: one label is regression, integer
// labels are single-label classification, float labels multi-label.
ProblemType infer_problem_type(int num_labels, bool integer_labels);

// What a loss's mean divides by: the sum of the labels' class weights (the number of
// labels without weights) for single-label cross-entropy, B * K for the others. Each loss
// below takes it as `denominator` (0: its batch's own), so a shard of a larger batch,
// given the larger batch's, returns its share of that batch's loss and gradient.
double loss_denominator(ProblemType type, const int32_t* labels, const float* class_weights, int B, int K);

// nn.CrossEntropyLoss: labels [B] in [0, K). With class_weights [K] the mean is weighted
// as torch weights it: sum_b w[y_b] * nll_b / sum_b w[y_b].
float cross_entropy_loss(float* dlogits, const float* logits, const int32_t* labels, const float* class_weights,
                         int B, int K, double denominator = 0.0);
// nn.BCEWithLogitsLoss, mean over B * K: targets [B, K] in [0, 1].
float bce_with_logits_loss(float* dlogits, const float* logits, const float* targets, int B, int K,
                           double denominator = 0.0);
// nn.MSELoss, mean over B * K: targets [B, K] (HF squeezes K == 1, which is the same mean).
float mse_loss(float* dlogits, const float* logits, const float* targets, int B, int K, double denominator = 0.0);

}  // namespace bertcls::model
