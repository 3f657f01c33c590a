#include "model/model_folder.h"

#include <string>
#include <system_error>
#include <vector>

#include "common/error.h"
#include "io/atomic_file.h"
#include "io/bert_config_json.h"
#include "io/safetensors.h"

namespace bertcls::model {
namespace fs = std::filesystem;

void save_model_folder(const BertClassifier& model, const text::Tokenizer* tokenizer, const fs::path& target) {
  const fs::path dir = target.has_filename() ? target : target.parent_path();
  if (!dir.parent_path().empty()) fs::create_directories(dir.parent_path());
  const fs::path tmp = io::make_temp_sibling_directory(fs::absolute(dir), "tmp");
  try {
    io::write_bert_config(tmp / "config.json", model.config());
    std::vector<io::TensorRef> tensors;
    const float* params = model.parameters().data();
    for (const NamedParameter& np : model.named_parameters()) tensors.push_back({np.name, np.shape, params + np.offset});
    io::write_safetensors(tmp / "model.safetensors", tensors);
    if (tokenizer != nullptr) tokenizer->save_to_directory(tmp);

    std::error_code ec;
    if (fs::exists(dir)) {
      // Move the old folder aside first: rename cannot replace a non-empty directory.
      const fs::path old = io::make_temp_sibling_directory(fs::absolute(dir), "old");
      fs::remove(old);
      fs::rename(dir, old);
      try {
        fs::rename(tmp, dir);
      } catch (const fs::filesystem_error&) {
        fs::rename(old, dir, ec);  // put the old model back
        throw;
      }
      fs::remove_all(old, ec);
    } else {
      fs::rename(tmp, dir);
    }
  } catch (const fs::filesystem_error& e) {
    std::error_code ec;
    fs::remove_all(tmp, ec);
    throw Error(dir.string() + ": cannot save the model: " + e.what());
  } catch (...) {
    std::error_code ec;
    fs::remove_all(tmp, ec);
    throw;
  }
}

}  // namespace bertcls::model
