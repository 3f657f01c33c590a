// torch.nn.utils.clip_grad_norm_ (PyTorch 1.13, norm_type 2, error_if_nonfinite=False)
// over a flat gradient buffer split into parameter tensors.
#pragma once

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

}  // namespace bertcls::train
