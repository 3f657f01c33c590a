// torch.nn.utils.clip_grad_norm_ (PyTorch 1.13, norm_type 2, error_if_nonfinite=False)
// over a flat gradient buffer split into parameter tensors.
#pragma once

#include <cstdint>
#include <span>

#include "train/adamw.h"

namespace bertcls::train {

// The global L2 norm as torch computes it: the norm of each tensor's norm, each rounded
// to float. Segments as in AdamW.
float global_grad_norm(std::span<const float> grads, std::span<const ParamSegment> segments);

// Scales every gradient by min(1, max_norm / (norm + 1e-6)) and returns the norm before
// scaling. A non-finite norm is not an error (torch's default): a NaN norm turns every
// gradient into NaN and an infinite one scales them by 0, exactly as torch does, so the
// caller sees the returned norm and decides (Hugging Face's Trainer just carries on).
float clip_grad_norm(std::span<float> grads, std::span<const ParamSegment> segments, float max_norm);

// The same two when the gradient of the segment with rows (ParamSegment::row_size) is +0
// outside `touched_rows` (any order, repeats allowed), as a lazy AdamW step takes it: the
// same bits, without passes over the untouched rows (the zeros add nothing to the norm
// and stay zero when scaled, unless by a NaN: then every row is scaled, as above).
float global_grad_norm(std::span<const float> grads, std::span<const ParamSegment> segments,
                       std::span<const std::int32_t> touched_rows);
float clip_grad_norm(std::span<float> grads, std::span<const ParamSegment> segments, float max_norm,
                     std::span<const std::int32_t> touched_rows);

}  // namespace bertcls::train
