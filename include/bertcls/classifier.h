// A text classifier from a Hugging Face model folder (or a hub name): texts in, label
// scores out, as transformers' text-classification pipeline scores them.
//
//   #include <bertcls/classifier.h>
//   auto clf = bertcls::Classifier::load("out/model");     // or "cointegrated/rubert-tiny2"
//   for (const auto& p : clf.predict({"какой хороший день", "всё плохо"}))   // two texts
//     std::cout << clf.labels()[p.label] << " " << p.scores[p.label] << "\n";
//
// The weights are loaded once and shared: copies of a Classifier are cheap and use the
// same weights, and predict()/evaluate() may be called from any number of threads at once
// (each call runs on a workspace of its own; inside a call, the ops use every core).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <bertcls/data.h>
#include <bertcls/error.h>
#include <bertcls/metrics.h>

namespace bertcls {

namespace pipeline {
class ClassifierModel;
}

struct TextInput {
  std::string text;
  std::optional<std::string> pair;  // the second text of a pair (sentence-pair tasks)
};

// How logits become scores, as HF's pipeline decides: sigmoid for multi-label or a
// single output, softmax otherwise; regression keeps the raw value.
enum class ScoreFunction { Softmax, Sigmoid, Identity };

// How a loaded classifier runs its dense layers (oneDNN, weights packed once at load);
// attention, LayerNorm and training stay fp32.
enum class Precision {
  Float32,
  BFloat16,  // bf16 operands, fp32 sums; needs a CPU with AVX512-BF16 or AMX-BF16
};
enum class Quantization {
  None,
  Int8,  // dynamic int8 as ONNX Runtime's quantize_dynamic (per-channel s8 weights)
};
struct InferenceOptions {
  Precision precision = Precision::Float32;
  Quantization quantize = Quantization::None;  // excludes BFloat16
};

struct Prediction {
  int label = 0;              // argmax of the scores
  std::vector<float> scores;  // [K], by label id
  std::vector<float> logits;  // [K]; chunked texts: pooled over their windows
};

class Classifier {
 public:
  // A model folder (config.json, weights, tokenizer files) or a hub name ORG/NAME[@REV],
  // resolved through the Hugging Face cache (HF_HOME, HF_HUB_OFFLINE, HF_TOKEN). Throws
  // Error naming the file and field of anything it cannot read.
  // `inference` picks the dense layers' number format; Error when the CPU lacks it.
  static Classifier load(const std::string& model, const TextOptions& text = {},
                         const InferenceOptions& inference = {});

  // One prediction per text, in input order, in length-sorted packed batches.
  std::vector<Prediction> predict(const std::vector<std::string>& texts, int batch_size = 32) const;
  // The same for inputs that may be pairs. (A name of its own: with one name, a braced
  // list of two strings could mean two texts or one pair.)
  std::vector<Prediction> predict_inputs(const std::vector<TextInput>& inputs, int batch_size = 32) const;

  // Loss and metrics on a labelled CSV/TSV/JSONL file, whose labels must be the model's.
  // The task follows the model's problem_type unless data says multi-label or regression.
  EvalResult evaluate(const std::string& data_file, DataOptions data = {}, int batch_size = 32) const;

  // Writes the model as a Hugging Face folder (config.json, model.safetensors, tokenizer).
  void save(const std::string& dir) const;

  const std::vector<std::string>& labels() const;  // label i's name
  ScoreFunction score_function() const;
  Task task() const;                 // from the model's problem_type
  std::size_t max_length() const;    // tokens per window, special tokens included
  std::string path() const;          // the folder the model came from
  // HF's load warnings (weights missing from the checkpoint, or unused in it).
  const std::vector<std::string>& warnings() const;

  // The shared model behind this handle, for bertcls's own layers (server, CLI).
  explicit Classifier(std::shared_ptr<const pipeline::ClassifierModel> model);
  const std::shared_ptr<const pipeline::ClassifierModel>& model() const { return model_; }

 private:
  std::shared_ptr<const pipeline::ClassifierModel> model_;
};

}  // namespace bertcls
