#include "hf/pretrained.h"

#include <algorithm>
#include <cstring>
#include <set>
#include <unordered_map>

#include <bertcls/error.h>
#include "io/model_weights.h"

namespace bertcls::hf {

using model::NamedParameter;
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// HF's _fix_key for LayerNorm parameters saved by old (TF-converted) checkpoints; under
// the masked-LM head, the tied decoder's names as the tensors they are tied to.
std::string fix_key(std::string key, const model::BertConfig& config) {
  if (ends_with(key, "LayerNorm.gamma")) return key.substr(0, key.size() - 5) + "weight";
  if (ends_with(key, "LayerNorm.beta")) return key.substr(0, key.size() - 4) + "bias";
  if (config.head == model::Head::masked_lm) {
    if (key == "cls.predictions.decoder.weight") return model::base_model_prefix(config.family) + "embeddings.word_embeddings.weight";
    if (key == "cls.predictions.decoder.bias") return "cls.predictions.bias";
  }
  return key;
}

std::string shape_string(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); i++) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

std::string python_list(const std::vector<std::string>& names) {
  std::string s = "[";
  for (size_t i = 0; i < names.size(); i++) s += (i ? ", '" : "'") + names[i] + "'";
  return s + "]";
}

}  // namespace

std::vector<std::string> LoadReport::warnings(const std::string& checkpoint) const {
  std::vector<std::string> out;
  if (!unexpected.empty())
    out.push_back("Some weights of the model checkpoint at " + checkpoint +
                  " were not used when initializing " + architecture + ": " + python_list(unexpected));
  if (!missing.empty())
    out.push_back("Some weights of " + architecture + " were not initialized from the model checkpoint at " +
                  checkpoint + " and are newly initialized: " + python_list(missing) +
                  "\nYou should probably TRAIN this model on a down-stream task to be able to use it for predictions "
                  "and inference.");
  return out;
}

LoadReport load_state_dict(model::BertWeights& weights, const std::vector<io::NamedTensor>& tensors,
                           const std::string& source) {
  const std::string prefix = model::base_model_prefix(weights.config().family);
  std::unordered_map<std::string, const NamedParameter*> expected;
  for (const NamedParameter& np : weights.named_parameters()) expected[np.name] = &np;
  // HF: a checkpoint none of whose keys carries the base model's prefix is a bare
  // BertModel; its keys are matched against the model's names without "bert.", and
  // reports name them that way too.
  const bool bare = std::none_of(tensors.begin(), tensors.end(),
                                 [&prefix](const io::NamedTensor& t) { return t.name.rfind(prefix, 0) == 0; });
  auto reported = [bare, &prefix](const std::string& name) {
    return bare && name.rfind(prefix, 0) == 0 ? name.substr(prefix.size()) : name;
  };

  LoadReport report;
  report.architecture = architecture_name(weights.config().family, weights.config().head);
  std::set<std::string> loaded;
  float* params = weights.parameters().data();
  for (const io::NamedTensor& t : tensors) {
    // Non-persistent buffers of BertEmbeddings that older versions saved.
    if (ends_with(t.name, "embeddings.position_ids") || ends_with(t.name, "embeddings.token_type_ids")) continue;
    std::string key = fix_key(t.name, weights.config());
    if (bare && expected.count(prefix + key)) key = prefix + key;
    auto it = expected.find(key);
    if (it == expected.end()) {
      report.unexpected.push_back(t.name);
      continue;
    }
    const NamedParameter& np = *it->second;
    if (t.shape != np.shape)
      throw Error(source + ": size mismatch for " + t.name + ": copying a param with shape " + shape_string(t.shape) +
                  " from checkpoint, the shape in current model is " + shape_string(np.shape));
    std::memcpy(params + np.offset, t.data.data(), sizeof(float) * np.count);
    loaded.insert(key);
  }
  for (const NamedParameter& np : weights.named_parameters())
    if (!loaded.count(np.name)) report.missing.push_back(reported(np.name));
  return report;
}

PretrainedModel load_pretrained(const std::filesystem::path& dir, const LoadOptions& options) {
  ModelConfig config = read_model_config(dir / "config.json");
  if (!options.labels.empty()) config.set_labels(options.labels);
  config.bert.head = options.head;
  std::vector<io::NamedTensor> tensors = io::read_model_weights(dir);
  model::BertWeights weights(config.bert, options.init_seed);
  LoadReport report = load_state_dict(weights, tensors, dir.string());
  return {std::move(config), std::move(weights), std::move(report)};
}

}  // namespace bertcls::hf
