// BERT's input embeddings before their LayerNorm: word + token type + absolute position,
// where a token's position is its index inside its own sequence plus `position_offset`
// (HF's default position_ids = arange(seq_len), which packing preserves for right-padded
// batches; RoBERTa counts from padding_idx + 1). Without token types (DistilBERT) wtt is
// null and type_ids are ignored.
#pragma once

#include <cstdint>

#include "model/shapes.h"

namespace bertcls::model {

// ids, type_ids [T]; wte [V, C], wpe [P, C], wtt [TV, C] or null; out [T, C].
void embedding_forward(float* out, const int32_t* ids, const int32_t* type_ids, const Packing& pack,
                       const float* wte, const float* wpe, const float* wtt, int C, int position_offset);
// Accumulates dwte, dwpe, dwtt (dwpe and dwtt may be null: fixed positions, no token
// types). Row pad_id of dwte gets nothing, as nn.Embedding with padding_idx (HF builds
// word_embeddings with padding_idx = pad_token_id).
void embedding_backward(float* dwte, float* dwpe, float* dwtt, const float* dout, const int32_t* ids,
                        const int32_t* type_ids, const Packing& pack, int C, int pad_id, int position_offset);

}  // namespace bertcls::model
