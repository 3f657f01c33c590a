#include "hf/model_folder.h"

#include <vector>

#include <bertcls/error.h>
#include "io/atomic_file.h"
#include "io/safetensors.h"

namespace bertcls::hf {
namespace fs = std::filesystem;

void save_model_folder(const ModelConfig& config, const model::BertWeights& weights, const text::Tokenizer* tokenizer,
                       const fs::path& target) {
  if (config.id2label.size() != static_cast<size_t>(weights.config().num_labels))
    throw Error("saving " + target.string() + ": " + std::to_string(config.id2label.size()) +
                " label names for a classifier of " + std::to_string(weights.config().num_labels) + " outputs");
  ModelConfig saved = config;
  saved.bert = weights.config();
  io::write_directory_atomically(
      target,
      [&](const fs::path& tmp) {
        write_model_config(tmp / "config.json", saved);
        std::vector<io::TensorRef> tensors;
        const float* params = weights.parameters().data();
        for (const model::NamedParameter& np : weights.named_parameters())
          tensors.push_back({np.name, np.shape, params + np.offset});
        io::write_safetensors(tmp / "model.safetensors", tensors);
        if (tokenizer != nullptr) tokenizer->save_to_directory(tmp);
      },
      "the model");
}

}  // namespace bertcls::hf
