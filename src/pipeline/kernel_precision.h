// The public API's Precision as the kernels name it: one mapping for inference
// (classifier_model), fine-tuning and pre-training.
#pragma once

#include <bertcls/classifier.h>

#include "tensor/packed_linear.h"

namespace bertcls::pipeline {

inline tensor::Precision kernel_precision(Precision precision) {
  return precision == Precision::BFloat16 ? tensor::Precision::bf16 : tensor::Precision::fp32;
}

}  // namespace bertcls::pipeline
