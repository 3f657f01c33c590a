// A dense layer as torch.nn.Linear: out = inp @ weight^T + bias, weight [OC, IC] as HF
// stores it. Both directions are single GEMMs over all packed tokens.
#pragma once

namespace bertcls::model {

// inp [T, IC], weight [OC, IC], bias [OC], out [T, OC].
void linear_forward(float* out, const float* inp, const float* weight, const float* bias, int T, int IC,
                    int OC);
// Accumulates dweight [OC, IC] and dbias [OC]; writes dinp [T, IC] (overwrites), unless
// dinp is null (the layer's input needs no gradient).
void linear_backward(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                     const float* weight, int T, int IC, int OC);

}  // namespace bertcls::model
