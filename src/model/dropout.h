// Inverted dropout as torch.nn.Dropout: keeps an element with probability 1 - p and
// scales it by 1 / (1 - p). The keep mask comes from a counter-based RNG keyed by
// (seed, site) and the element's index, so backward recomputes it instead of storing it.
#pragma once

#include <cstdint>

#include "tensor/rng.h"

namespace bertcls::model {

struct DropoutSite {
  float p = 0.0f;          // 0 disables the site (eval mode)
  tensor::CounterRng rng{0, 0};  // unique stream per site and step
  // Added to every element index: a shard of a larger batch draws the numbers the larger
  // batch draws for the same elements (StepOptions::origin).
  uint64_t origin = 0;
};

// out[i] = inp[i] * keep(first + i) / (1 - p) for i < n; out may equal inp. `first` places a
// block inside a larger tensor (one attention head) so blocks draw distinct numbers.
void dropout_forward(const DropoutSite& site, float* out, const float* inp, long n, long first = 0);
// out[i] = dropout(inp)[i] + residual[i]: the sublayer output joining the residual stream.
// Its backward is dropout_backward for inp and the identity for residual.
void dropout_add_forward(const DropoutSite& site, float* out, const float* inp, const float* residual, long n);
// dinp[i] = dout[i] * keep(first + i) / (1 - p); dinp may equal dout.
void dropout_backward(const DropoutSite& site, float* dinp, const float* dout, long n, long first = 0);

}  // namespace bertcls::model
