// The engine's shape vocabulary, stated once and used in every op's comment:
//
//   B   sequences in a batch            T   real tokens of the batch, packed end to end
//   L_b tokens of sequence b            C   hidden size         NH  attention heads
//   HS  head size (C / NH)              I   intermediate size   K   labels
//   V   vocabulary    P  positions      TV  token types         NL  encoder layers
//
// A batch is packed: the real tokens of all sequences lie end to end in [T, ...] rows,
// sequence b in rows offsets[b] .. offsets[b+1]-1, so no product ever touches a pad.
// Attention scores of sequence b are NH matrices of L_b x L_b, stored one after another
// from score_offsets[b] (floats; score_offsets[B] is their total).
#pragma once

#include <cstdint>

namespace bertcls::model {

struct Packing {
  const int32_t* offsets;        // [B+1], offsets[0] == 0, offsets[B] == T
  const int64_t* score_offsets;  // [B+1], prefix sums of NH * L_b * L_b
  int B;

  int T() const { return offsets[B]; }
  int length(int b) const { return offsets[b + 1] - offsets[b]; }
};

}  // namespace bertcls::model
