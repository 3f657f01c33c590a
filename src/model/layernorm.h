// LayerNorm over the last dimension, with biased variance as torch.nn.LayerNorm.
#pragma once

namespace bertcls::model {

// inp, out [T, C]; weight, bias [C]; mean, rstd [T] are kept for the backward.
void layernorm_forward(float* out, float* mean, float* rstd, const float* inp, const float* weight,
                       const float* bias, int T, int C, float eps);
// Writes dinp [T, C] (overwrites); accumulates dweight, dbias [C].
void layernorm_backward(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                        const float* weight, const float* mean, const float* rstd, int T, int C);

}  // namespace bertcls::model
