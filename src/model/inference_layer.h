// One encoder layer for inference on the packed dense layers (model/packed_weights.h):
// the fused attention (attention_inference_forward), residual + LayerNorm in one pass
// (residual_layernorm.h), GELU in the first feed-forward product's epilogue. The same
// function of the input as BertWorkspace's training forward without dropout, to float
// rounding (the parity tests run both).
#pragma once

#include "model/bert_config.h"
#include "model/bert_parameters.h"
#include "model/packed_weights.h"
#include "model/shapes.h"

namespace bertcls::model {

// Activations of one layer, each with room for T rows: qkv [T, 3C], ctx, res, ln1 [T, C],
// fch, fch_act [T, I] (fch unused when GELU is fused).
struct InferenceLayerBuffers {
  float *qkv, *ctx, *res, *ln1, *fch, *fch_act;
};

// x [T, C] -> out. first_only: out [B, C] holds each sequence's first row only (what a
// classification head reads), and everything after the keys and values runs on those B
// rows; else out [T, C]. out may be x (read before out is written), not a buffer.
void inference_layer_forward(float* out, const float* x, const PackedLayer& packed, const LayerTensors& lw,
                             const BertConfig& c, const Packing& pack, bool first_only,
                             const InferenceLayerBuffers& buf);

}  // namespace bertcls::model
