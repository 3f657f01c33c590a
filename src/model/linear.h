// A dense layer as torch.nn.Linear: out = inp @ weight^T + bias, weight [OC, IC] as HF
// stores it. Both directions are single GEMMs over all packed tokens, in the precision
// the step asks for: fp32 (weights and activations as they are) or bf16 (operands
// rounded to bf16 per product, fp32 sums, fp32 results and weights).
#pragma once

#include "tensor/packed_linear.h"

namespace bertcls::model {

// inp [T, IC], weight [OC, IC], bias [OC], out [T, OC].
void linear_forward(float* out, const float* inp, const float* weight, const float* bias, int T, int IC, int OC,
                    tensor::Precision precision = tensor::Precision::fp32);
// Accumulates dweight [OC, IC] and dbias [OC]; writes dinp [T, IC] (overwrites), unless
// dinp is null (the layer's input needs no gradient). dbias is summed in fp32 always.
void linear_backward(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                     const float* weight, int T, int IC, int OC, tensor::Precision precision = tensor::Precision::fp32);

}  // namespace bertcls::model
