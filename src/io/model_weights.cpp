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
// read files elsewhere. Shards come in file-name order (model-00001-of-00002 first).
std::map<std::string, std::set<std::string>> keys_by_shard(const std::filesystem::path& index_file) {
  const std::string source = index_file.string();
  const nlohmann::json index = read_json_strict(index_file);
  if (!index.is_object() || !index.contains("weight_map") || !index["weight_map"].is_object()) {
    throw Error(source + ": field \"weight_map\" missing or not an object");
  }
  std::map<std::string, std::set<std::string>> shards;
  for (const auto& [key, shard] : index["weight_map"].items()) {
    if (!shard.is_string()) throw Error(source + ": weight_map \"" + key + "\": shard must be a file name, got " + shard.dump());
    const std::string name = shard.get<std::string>();
    const std::filesystem::path as_path(name);
    if (name.empty() || as_path.has_parent_path() || name == "." || name == "..") {
      throw Error(source + ": weight_map \"" + key + "\": shard \"" + name + "\" is not a file name in the model folder");
    }
    shards[name].insert(key);
  }
  if (shards.empty()) throw Error(source + ": weight_map is empty");
  for (const auto& [shard_name, keys] : shards)
    if (!std::filesystem::is_regular_file(index_file.parent_path() / shard_name))
      throw Error(source + ": shard \"" + shard_name + "\" named by the index does not exist");
  return shards;
}

std::vector<NamedTensor> read_sharded(const std::filesystem::path& index_file, const Reader& read_shard) {
  const std::string source = index_file.string();
  std::vector<NamedTensor> tensors;
  for (auto& [shard_name, expected] : keys_by_shard(index_file)) {
    for (auto& tensor : read_shard(index_file.parent_path() / shard_name)) {
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

// The weights file of model_dir, what reads it (or, for an index, its shards), and whether
// it is an index.
struct WeightsEntry {
  std::filesystem::path file;
  Reader read;
  bool sharded = false;
};

WeightsEntry weights_entry(const std::filesystem::path& model_dir) {
  const WeightsEntry formats[] = {{"model.safetensors", read_safetensors, false},
                                  {"model.safetensors.index.json", read_safetensors, true},
                                  {"pytorch_model.bin", read_torch_checkpoint, false},
                                  {"pytorch_model.bin.index.json", read_torch_checkpoint, true}};
  for (const WeightsEntry& format : formats)
    if (std::filesystem::exists(model_dir / format.file)) return {model_dir / format.file, format.read, format.sharded};
  throw Error(model_dir.string() + ": no weights found (looked for model.safetensors, model.safetensors.index.json, "
                                   "pytorch_model.bin, pytorch_model.bin.index.json)");
}

}  // namespace

std::vector<NamedTensor> read_model_weights(const std::filesystem::path& model_dir) {
  const WeightsEntry entry = weights_entry(model_dir);
  return entry.sharded ? read_sharded(entry.file, entry.read) : entry.read(entry.file);
}

std::vector<std::filesystem::path> model_weight_files(const std::filesystem::path& model_dir) {
  const WeightsEntry entry = weights_entry(model_dir);
  std::vector<std::filesystem::path> files{entry.file};
  if (entry.sharded)
    for (const auto& [shard_name, keys] : keys_by_shard(entry.file)) files.push_back(model_dir / shard_name);
  return files;
}

}  // namespace bertcls::io
