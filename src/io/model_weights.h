// Finds and reads the weights of a Hugging Face model folder, whichever of the formats
// HF writes it holds.
#pragma once

#include <filesystem>
#include <vector>

#include "io/safetensors.h"

namespace bertcls::io {

// Looks, in this order, for model.safetensors, model.safetensors.index.json (with its
// shards), pytorch_model.bin and pytorch_model.bin.index.json. A sharded index is
// validated: every shard it names exists inside model_dir, every key is found in the
// shard the index says, and no shard holds a key the index does not assign to it.
// Throws bertcls::Error listing what was looked for when none is there.
std::vector<NamedTensor> read_model_weights(const std::filesystem::path& model_dir);

// The files read_model_weights reads: the one weights file, or the index and its shards
// in reading order. Throws as read_model_weights does when there are none.
std::vector<std::filesystem::path> model_weight_files(const std::filesystem::path& model_dir);

}  // namespace bertcls::io
