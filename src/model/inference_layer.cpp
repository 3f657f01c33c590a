#include "model/inference_layer.h"

#include <cstring>

#include "model/activation.h"
#include "model/attention.h"
#include "model/residual_layernorm.h"

namespace bertcls::model {

void inference_layer_forward(float* out, const float* x, const PackedLayer& pl, const LayerTensors& lw,
                             const BertConfig& c, const Packing& pack, bool first_only,
                             const InferenceLayerBuffers& buf) {
  const int C = c.hidden_size, I = c.intermediate_size;
  // Every token's keys and values are needed; the queries past here only for `rows`.
  pl.qkv.forward(buf.qkv, x, pack.T());
  attention_inference_forward(buf.ctx, buf.qkv, pack, c.num_attention_heads, c.head_size(), first_only);
  const int rows = first_only ? pack.B : pack.T();
  const float* residual = x;
  if (first_only) {
    // The first rows of x, gathered beside the B rows they are the residual of; ln1 is
    // free until the LayerNorm below reads this and writes it.
    for (int b = 0; b < pack.B; b++)
      std::memcpy(buf.ln1 + (size_t)b * C, x + (size_t)pack.offsets[b] * C, sizeof(float) * C);
    residual = buf.ln1;
  }
  pl.attproj.forward(buf.res, buf.ctx, rows);
  residual_layernorm_forward(buf.ln1, buf.res, residual, lw.ln1w, lw.ln1b, rows, C, c.layer_norm_eps);
  if (pl.fc.epilogue() != tensor::Epilogue::none) {
    pl.fc.forward(buf.fch_act, buf.ln1, rows);
  } else {
    pl.fc.forward(buf.fch, buf.ln1, rows);
    activation_forward(c.hidden_act, buf.fch_act, buf.fch, (long)rows * I);
  }
  pl.fcproj.forward(buf.res, buf.fch_act, rows);
  residual_layernorm_forward(out, buf.res, buf.ln1, lw.ln2w, lw.ln2b, rows, C, c.layer_norm_eps);
}

}  // namespace bertcls::model
