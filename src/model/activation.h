// Elementwise activations: BERT's hidden_act choices for the intermediate layer and
// the heads' (tanh, ReLU, GELU). Backward needs only the forward's input.
#pragma once

#include "model/bert_config.h"

namespace bertcls::model {

// out[i] = f(inp[i]) for n elements; out may equal inp.
void activation_forward(Activation f, float* out, const float* inp, long n);
// dinp[i] = dout[i] * f'(inp[i]); dinp may equal dout.
void activation_backward(Activation f, float* dinp, const float* dout, const float* inp, long n);

}  // namespace bertcls::model
