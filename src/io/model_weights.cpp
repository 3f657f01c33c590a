#include "io/model_weights.h"

#include <functional>
#include <map>
#include <set>

#include <bertcls/error.h>
#include "io/strict_json.h"
#include "io/torch_checkpoint.h"

namespace bertcls::io {
namespace {

using Reader = std::function<std::vector<NamedTensor>(const std::filesystem::path&)>;

// HF's sharded checkpoints: {"metadata": {...}, "weight_map": {key: shard file name}}.
// Shards must be plain file names inside model_dir: a hostile index must not make us
// read files elsewhere.
std::vector<NamedTensor> read_sharded(const std::filesystem::path& index_file, const Reader& read_shard) {
  const std::string source = index_file.string();
  const nlohmann::json index = read_json_strict(index_file);
  if (!index.is_object() || !index.contains("weight_map") || !index["weight_map"].is_object()) {
    throw Error(source + ": field \"weight_map\" missing or not an object");
  }
  // Shards are read in file-name order (model-00001-of-00002 first).
  std::map<std::string, std::set<std::string>> keys_by_shard;
  for (const auto& [key, shard] : index["weight_map"].items()) {
    if (!shard.is_string()) throw Error(source + ": weight_map \"" + key + "\": shard must be a file name, got " + shard.dump());
    const std::string name = shard.get<std::string>();
    const std::filesystem::path as_path(name);
    if (name.empty() || as_path.has_parent_path() || name == "." || name == "..") {
      throw Error(source + ": weight_map \"" + key + "\": shard \"" + name + "\" is not a file name in the model folder");
    }
    keys_by_shard[name].insert(key);
  }
  if (keys_by_shard.empty()) throw Error(source + ": weight_map is empty");

  std::vector<NamedTensor> tensors;
  for (auto& [shard_name, expected] : keys_by_shard) {
    const auto shard_file = index_file.parent_path() / shard_name;
    if (!std::filesystem::is_regular_file(shard_file)) {
      throw Error(source + ": shard \"" + shard_name + "\" named by the index does not exist");
    }
    for (auto& tensor : read_shard(shard_file)) {
      if (expected.erase(tensor.name) == 0) {
        throw Error(source + ": shard \"" + shard_name + "\" holds \"" + tensor.name + "\", which the index does not assign to it");
      }
      tensors.push_back(std::move(tensor));
    }
    if (!expected.empty()) {
      throw Error(source + ": \"" + *expected.begin() + "\" is not in shard \"" + shard_name + "\" where the index puts it");
    }
  }
  return tensors;
}

}  // namespace

std::vector<NamedTensor> read_model_weights(const std::filesystem::path& model_dir) {
  const auto safetensors = model_dir / "model.safetensors";
  const auto safetensors_index = model_dir / "model.safetensors.index.json";
  const auto torch_bin = model_dir / "pytorch_model.bin";
  const auto torch_index = model_dir / "pytorch_model.bin.index.json";
  if (std::filesystem::exists(safetensors)) return read_safetensors(safetensors);
  if (std::filesystem::exists(safetensors_index)) return read_sharded(safetensors_index, read_safetensors);
  if (std::filesystem::exists(torch_bin)) return read_torch_checkpoint(torch_bin);
  if (std::filesystem::exists(torch_index)) return read_sharded(torch_index, read_torch_checkpoint);
  throw Error(model_dir.string() + ": no weights found (looked for model.safetensors, model.safetensors.index.json, "
                                   "pytorch_model.bin, pytorch_model.bin.index.json)");
}

}  // namespace bertcls::io
