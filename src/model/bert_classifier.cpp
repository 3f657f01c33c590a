#include "model/bert_classifier.h"

#include "model/classification_loss.h"

namespace bertcls::model {

float BertClassifier::loss(const Batch& batch, std::span<const float> class_weights, double denominator) {
  const float result = work_.loss(weights_, batch, class_weights, denominator);
  if (weights_.config().head == Head::sequence_classification && !weights_.config().problem_type)
    weights_.set_problem_type(infer_problem_type(weights_.config().num_labels, !batch.class_labels.empty()));
  return result;
}

}  // namespace bertcls::model
