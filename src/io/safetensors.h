// The safetensors format: an 8-byte little-endian header length, a JSON header naming
// each tensor's dtype, shape and byte range, then the raw bytes. Every claim of the
// header is validated (ranges inside the data, no overlaps or gaps, sizes matching
// shapes) before any byte of data is read, so a hostile file fails with a sentence.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace bertcls::io {

// One tensor of a checkpoint, always fp32 after loading (F16/BF16 are widened exactly as
// torch's .float() does). shape is row-major; data.size() == product of shape.
struct NamedTensor {
  std::string name;
  std::vector<int64_t> shape;
  std::vector<float> data;
};

// A tensor to save: data points at product(shape) contiguous floats the caller owns.
struct TensorRef {
  std::string name;
  std::vector<int64_t> shape;
  const float* data;
};

// Reads model.safetensors (F32, F16, BF16; I64 only when every value is exact in fp32,
// for the position_ids buffer older checkpoints carry). Tensors come in file order.
// Throws bertcls::Error "FILE: problem".
std::vector<NamedTensor> read_safetensors(const std::filesystem::path& file);

// The same on bytes already in memory; `source` names them in error messages.
std::vector<NamedTensor> parse_safetensors(std::span<const std::byte> bytes, const std::string& source);

// Writes tensors as F32 in the given order, atomically (temp file, then rename).
void write_safetensors(const std::filesystem::path& file, const std::vector<TensorRef>& tensors,
                       const std::map<std::string, std::string>& metadata = {{"format", "pt"}});

}  // namespace bertcls::io
