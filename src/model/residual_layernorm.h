// Inference's residual connection and LayerNorm in one pass over each row: out =
// LayerNorm(inp + residual), torch.nn.LayerNorm's biased variance, the statistics in
// double as layernorm_forward's. Keeps no mean or rstd (no backward); training runs
// dropout_add_forward then layernorm_forward (model/layernorm.h), unchanged.
#pragma once

namespace bertcls::model {

// inp, residual, out [T, C]; weight, bias [C]. out may equal inp or residual.
void residual_layernorm_forward(float* out, const float* inp, const float* residual, const float* weight,
                                const float* bias, int T, int C, float eps);

}  // namespace bertcls::model
