// Gradient accumulation's mean: a group of batches' summed gradients divided by the
// group size (training_plan.h), as Hugging Face divides each batch's loss.
#pragma once

#include <cstdint>
#include <span>

#include "train/adamw.h"

namespace bertcls::train {

// Divides every gradient by `group`, but in the segment with rows (ParamSegment::row_size)
// only the rows in `touched_rows` (in range; repeats count once): the others hold +0, and
// +0 / group is +0, so the result is the dense division's, bit for bit.
void divide_by_group(std::span<float> grads, std::span<const ParamSegment> segments, std::int64_t group,
                     std::span<const std::int32_t> touched_rows);

}  // namespace bertcls::train
