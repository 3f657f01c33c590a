// PyTorch's torch.save format (pytorch_model.bin): a zip archive holding a pickled state
// dict (`<name>/data.pkl`) and one entry per storage (`<name>/data/<key>`). The pickle is
// read by a small interpreter that knows only the opcodes and globals a plain state dict
// uses and executes nothing; any other global is refused by name.
#pragma once

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "io/safetensors.h"

namespace bertcls::io {

// Float, Half and BFloat16 storages become fp32; Long storages (position_ids) only when
// every value is exact in fp32. Views (storage offsets, strides, storages shared by tied
// weights) are materialised as contiguous copies. Tensors come in state-dict order.
std::vector<NamedTensor> read_torch_checkpoint(const std::filesystem::path& file);

// The same on bytes already in memory; `source` names them in error messages.
std::vector<NamedTensor> parse_torch_checkpoint(std::span<const std::byte> bytes, const std::string& source);

}  // namespace bertcls::io
