// The model a server runs, replaceable while it serves. A reload loads a folder beside the
// running model, checks it (it must load and classify a probe text to finite scores),
// then makes it current for requests that start afterwards; requests already holding the
// old model finish on it, and it is freed when the last of them lets go. A folder that
// fails to load or to check is refused and the current model stays.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "pipeline/classifier_model.h"

namespace bertcls::serve {

// A loaded model and what /info says about where it came from.
struct ServedModel {
  std::shared_ptr<const pipeline::ClassifierModel> model;
  std::string name;            // the folder or hub name it was asked for by (/info's model_id)
  std::string weights_sha256;  // of the weights file (for shards: of the index, then each shard)
  std::string loaded_at;       // UTC, ISO 8601
  double load_seconds = 0;
};

class LiveModel {
 public:
  // `name` is what the model was asked for by; `load_seconds` is what loading it took.
  LiveModel(std::shared_ptr<const pipeline::ClassifierModel> model, std::string name, double load_seconds = 0);

  std::shared_ptr<const ServedModel> current() const;

  // Loads `source` (a folder or hub name; by default the current model's folder again),
  // with the current model's text options, checks it and makes it current. Throws Error, keeping the current model,
  // when it cannot. One reload runs at a time; others wait for it.
  std::shared_ptr<const ServedModel> reload(const std::optional<std::string>& source = std::nullopt);

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const ServedModel> current_;
  std::mutex reloading_;
};

}  // namespace bertcls::serve
