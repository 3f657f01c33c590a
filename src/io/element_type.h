// The element types checkpoints store and their exact widening to fp32, shared by the
// safetensors and torch readers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>

namespace bertcls::io {

enum class ElementType { f32, f16, bf16, i64 };

std::size_t element_size(ElementType type);

// Name as safetensors writes it ("F32", "F16", "BF16", "I64"); nullopt for others.
std::optional<ElementType> element_type_from_safetensors(const std::string& dtype);

// Widens count elements at src (little-endian, any alignment) into dst, bit-exact with
// torch's .float(): F16 subnormals, infinities and NaN payloads included (a signalling
// F16 NaN comes out quiet, as on x86); BF16 is the top half of an fp32. I64 values must
// be exact in fp32 (|v| <= 2^24), else Error "element I: value V is not exact in fp32".
void widen_to_fp32(ElementType type, const std::byte* src, std::size_t count, float* dst);

float fp16_to_fp32(uint16_t bits);
float bf16_to_fp32(uint16_t bits);

}  // namespace bertcls::io
