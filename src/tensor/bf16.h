// fp32 -> bf16 rounding of the operands oneDNN's bf16 products read (inference's packed
// layers and training's products): one rounding, so both give the same bf16 inputs.
#pragma once

#include <cstdint>

namespace bertcls::tensor {

// Round to nearest even, as torch's float -> bfloat16 conversion. Inputs are finite (a
// non-finite training gradient is caught by the norm after the step).
void convert_bf16(std::uint16_t* out, const float* inp, long n);

}  // namespace bertcls::tensor
