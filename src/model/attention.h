// Multi-head self-attention over packed sequences: each (sequence, head) attends over
// that sequence's L_b real tokens only. HF adds (1 - mask) * finfo.min to the scores of
// pads, which makes their softmax weights exactly 0 in fp32; leaving pads out therefore
// gives the same numbers for every real token, forward and backward.
#pragma once

#include "model/dropout.h"
#include "model/shapes.h"

namespace bertcls::model {

// qkv [T, 3C]: per token the query, key and value projections, each [NH, HS].
// att [score_offsets[B]]: softmax(q k^T / sqrt(HS)) per (sequence, head), kept for backward.
// attd: scratch for att after dropout, the size of att (unused when dropout is off; the
// backward recomputes it, so layers can share one); ctx [T, C] = dropout(att) @ v.
void attention_forward(float* ctx, float* att, float* attd, const float* qkv, const Packing& pack, int NH,
                       int HS, const DropoutSite& dropout);
// Inference (no dropout, nothing kept for backward): the same ctx without the score
// buffer, the softmax fused between the two products per block of query rows, threads
// over sequences x heads x row blocks (attention_inference.cpp). first_only: only each
// sequence's first query row (what a classification head reads), ctx [B, C].
void attention_inference_forward(float* ctx, const float* qkv, const Packing& pack, int NH, int HS, bool first_only);
// Writes dqkv [T, 3C] (overwrites); datt is scratch the size of att.
void attention_backward(float* dqkv, float* datt, const float* dctx, const float* qkv, const float* att,
                        const Packing& pack, int NH, int HS, const DropoutSite& dropout);

}  // namespace bertcls::model
