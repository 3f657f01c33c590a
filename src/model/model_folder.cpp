#include "model/model_folder.h"

#include <vector>

#include "io/atomic_file.h"
#include "io/bert_config_json.h"
#include "io/safetensors.h"

namespace bertcls::model {
namespace fs = std::filesystem;

void save_model_folder(const BertClassifier& model, const text::Tokenizer* tokenizer, const fs::path& target) {
  io::write_directory_atomically(
      target,
      [&](const fs::path& tmp) {
        io::write_bert_config(tmp / "config.json", model.config());
        std::vector<io::TensorRef> tensors;
        const float* params = model.parameters().data();
        for (const NamedParameter& np : model.named_parameters())
          tensors.push_back({np.name, np.shape, params + np.offset});
        io::write_safetensors(tmp / "model.safetensors", tensors);
        if (tokenizer != nullptr) tokenizer->save_to_directory(tmp);
      },
      "the model");
}

}  // namespace bertcls::model
