// The C API (include/bertcls/bertcls.h) over bertcls::Classifier. Every entry point
// catches everything: an exception must not unwind into C frames, so each failure
// becomes a return value plus a message of the calling thread.
#include <bertcls/bertcls.h>
#include <bertcls/classifier.h>
#include <bertcls/version.h>

#include <algorithm>
#include <exception>
#include <string>
#include <vector>

struct bertcls_classifier {
  bertcls::Classifier classifier;
};

namespace {

thread_local std::string last_error;

// Runs body, turning anything it throws into last_error and `failed`.
template <typename Result, typename Body>
Result guarded(Result failed, Body&& body) noexcept {
  try {
    return body();
  } catch (const std::exception& e) {
    last_error = e.what();
  } catch (...) {
    last_error = "unknown error";
  }
  return failed;
}

}  // namespace

extern "C" {

bertcls_classifier* bertcls_load(const char* model) {
  return guarded<bertcls_classifier*>(nullptr, [&] {
    if (model == nullptr) throw bertcls::Error("bertcls_load: model is NULL");
    return new bertcls_classifier{bertcls::Classifier::load(model)};
  });
}

int bertcls_predict(bertcls_classifier* classifier, const char* const* texts, size_t n, int* labels_out,
                    float* scores_out) {
  return guarded(-1, [&] {
    if (classifier == nullptr) throw bertcls::Error("bertcls_predict: classifier is NULL");
    if (n > 0 && (texts == nullptr || labels_out == nullptr))
      throw bertcls::Error("bertcls_predict: texts and labels_out must not be NULL");
    std::vector<std::string> inputs;
    inputs.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      if (texts[i] == nullptr) throw bertcls::Error("bertcls_predict: text " + std::to_string(i) + " is NULL");
      inputs.emplace_back(texts[i]);
    }
    const auto predictions = classifier->classifier.predict(inputs);
    const size_t k = classifier->classifier.labels().size();
    for (size_t i = 0; i < n; ++i) {
      labels_out[i] = predictions[i].label;
      if (scores_out != nullptr) std::copy_n(predictions[i].scores.begin(), k, scores_out + i * k);
    }
    return 0;
  });
}

size_t bertcls_num_labels(const bertcls_classifier* classifier) {
  return classifier == nullptr ? 0 : classifier->classifier.labels().size();
}

const char* bertcls_label(const bertcls_classifier* classifier, size_t i) {
  if (classifier == nullptr || i >= classifier->classifier.labels().size()) return nullptr;
  return classifier->classifier.labels()[i].c_str();
}

void bertcls_free(bertcls_classifier* classifier) { delete classifier; }

const char* bertcls_last_error(void) { return last_error.c_str(); }

const char* bertcls_version(void) { return bertcls::version(); }

}  // extern "C"
