#include "model/classification_loss.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "tensor/threads.h"

namespace bertcls::model {

ProblemType infer_problem_type(int num_labels, bool integer_labels) {
  if (num_labels == 1) return ProblemType::regression;
  return integer_labels ? ProblemType::single_label_classification : ProblemType::multi_label_classification;
}

double loss_denominator(ProblemType type, const int32_t* labels, const float* class_weights, int B, int K) {
  if (type != ProblemType::single_label_classification) return static_cast<double>(B) * K;
  double weight_sum = 0.0;
  for (int b = 0; b < B; b++) weight_sum += class_weights ? class_weights[labels[b]] : 1.0;
  return weight_sum;
}

float cross_entropy_loss(float* dlogits, const float* logits, const int32_t* labels, const float* class_weights,
                         int B, int K, double denominator) {
  const double weight_sum = denominator > 0.0
      ? denominator
      : loss_denominator(ProblemType::single_label_classification, labels, class_weights, B, K);
  // Rows in parallel (the masked-LM head has hundreds of rows of a whole vocabulary),
  // summed afterwards in row order: the same total as a serial loop.
  std::vector<double> row_loss(static_cast<size_t>(B));
#pragma omp parallel for if (tensor::worth_parallel((long)B * K))
  for (int b = 0; b < B; b++) {
    const float* z = logits + (long)b * K;
    float mx = z[0];
    for (int k = 1; k < K; k++) mx = z[k] > mx ? z[k] : mx;
    double sum = 0.0;
    for (int k = 0; k < K; k++) sum += std::exp(static_cast<double>(z[k] - mx));
    double log_sum = std::log(sum);
    double w = class_weights ? class_weights[labels[b]] : 1.0;
    row_loss[b] = w * (log_sum - (z[labels[b]] - mx));
    if (dlogits == nullptr) continue;
    for (int k = 0; k < K; k++) {
      double p = std::exp(z[k] - mx - log_sum);
      dlogits[(long)b * K + k] = static_cast<float>(w / weight_sum * (p - (k == labels[b] ? 1.0 : 0.0)));
    }
  }
  double total = 0.0;
  for (double row : row_loss) total += row;
  return static_cast<float>(total / weight_sum);
}

float bce_with_logits_loss(float* dlogits, const float* logits, const float* targets, int B, int K,
                           double denominator) {
  const double n = denominator > 0.0 ? denominator : static_cast<double>(B) * K;
  double total = 0.0;
  for (long i = 0; i < (long)B * K; i++) {
    double z = logits[i], y = targets[i];
    // The stable form torch uses: max(z, 0) - z * y + log(1 + exp(-|z|)).
    total += std::max(z, 0.0) - z * y + std::log1p(std::exp(-std::fabs(z)));
    if (dlogits) dlogits[i] = static_cast<float>((1.0 / (1.0 + std::exp(-z)) - y) / n);
  }
  return static_cast<float>(total / n);
}

float mse_loss(float* dlogits, const float* logits, const float* targets, int B, int K, double denominator) {
  const double n = denominator > 0.0 ? denominator : static_cast<double>(B) * K;
  double total = 0.0;
  for (long i = 0; i < (long)B * K; i++) {
    double d = static_cast<double>(logits[i]) - targets[i];
    total += d * d;
    if (dlogits) dlogits[i] = static_cast<float>(2.0 * d / n);
  }
  return static_cast<float>(total / n);
}

}  // namespace bertcls::model
