#include "io/element_type.h"

#include <bit>

#include <bertcls/error.h>

namespace bertcls::io {

std::size_t element_size(ElementType type) {
  switch (type) {
    case ElementType::f32: return 4;
    case ElementType::f16: return 2;
    case ElementType::bf16: return 2;
    case ElementType::i64: return 8;
  }
  return 0;
}

std::optional<ElementType> element_type_from_safetensors(const std::string& dtype) {
  if (dtype == "F32") return ElementType::f32;
  if (dtype == "F16") return ElementType::f16;
  if (dtype == "BF16") return ElementType::bf16;
  if (dtype == "I64") return ElementType::i64;
  return std::nullopt;
}

float fp16_to_fp32(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t exponent = (h >> 10) & 0x1Fu;
  uint32_t mantissa = h & 0x3FFu;
  uint32_t bits;
  if (exponent == 0x1F) {
    // Inf keeps a zero mantissa; a NaN keeps its payload and gains the quiet bit, as the
    // x86 conversion in torch's .float() does.
    bits = sign | 0x7F800000u | (mantissa << 13) | (mantissa != 0 ? 0x00400000u : 0u);
  } else if (exponent != 0) {
    bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
  } else if (mantissa == 0) {
    bits = sign;
  } else {
    // Subnormal: shift the mantissa up to an implicit leading one, lowering the exponent.
    int e = 113;
    while ((mantissa & 0x400u) == 0) {
      mantissa <<= 1;
      --e;
    }
    bits = sign | (static_cast<uint32_t>(e) << 23) | ((mantissa & 0x3FFu) << 13);
  }
  return std::bit_cast<float>(bits);
}

float bf16_to_fp32(uint16_t h) { return std::bit_cast<float>(static_cast<uint32_t>(h) << 16); }

void widen_to_fp32(ElementType type, const std::byte* src, std::size_t count, float* dst) {
  static_assert(std::endian::native == std::endian::little, "checkpoints are little-endian");
  if (count == 0) return;  // empty tensors have no buffer; memcpy must not see a null pointer
  switch (type) {
    case ElementType::f32:
      std::memcpy(dst, src, count * 4);
      return;
    case ElementType::f16:
    case ElementType::bf16:
      for (std::size_t i = 0; i < count; ++i) {
        uint16_t h;
        std::memcpy(&h, src + 2 * i, 2);
        dst[i] = type == ElementType::f16 ? fp16_to_fp32(h) : bf16_to_fp32(h);
      }
      return;
    case ElementType::i64:
      for (std::size_t i = 0; i < count; ++i) {
        int64_t v;
        std::memcpy(&v, src + 8 * i, 8);
        if (v > (int64_t{1} << 24) || v < -(int64_t{1} << 24)) {
          throw Error("element " + std::to_string(i) + ": value " + std::to_string(v) + " is not exact in fp32");
        }
        dst[i] = static_cast<float>(v);
      }
      return;
  }
}

}  // namespace bertcls::io
