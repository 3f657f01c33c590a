// Shared by the BERT engine's tests: the fixtures tools/make_bert_fixtures.py writes under
// tests/fixtures/bert/ (see its README.md) and the weight generator both sides share.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "hf/model_config.h"
#include "hf/pretrained.h"
#include "io/safetensors.h"
#include "model/batch.h"
#include "model/bert_classifier.h"
#include "tensor/rng.h"

namespace bertcls::test {

inline std::filesystem::path bert_fixtures() { return std::filesystem::path(BERTCLS_FIXTURES) / "bert"; }

inline uint64_t fnv1a64(const std::string& text) {
  uint64_t h = 0xCBF29CE484222325ull;
  for (unsigned char c : text) h = (h ^ c) * 0x100000001B3ull;
  return h;
}

// make_bert_fixtures.py's generated_weight: base + (2u - 1) * scale, u keyed by the name.
// Fixed tensors (sinusoidal positions) keep the values the model was built with.
inline void fill_generated_weights(model::BertClassifier& model, uint64_t seed = 1234, float scale = 0.125f) {
  float* params = model.parameters().data();
  for (const model::NamedParameter& np : model.named_parameters()) {
    if (!np.trainable) continue;
    const tensor::CounterRng rng(seed, fnv1a64(np.name));
    const bool layernorm_weight = np.name.ends_with("LayerNorm.weight") || np.name.ends_with("layer_norm.weight");
    const float base = layernorm_weight ? 1.0f : 0.0f;
    for (size_t i = 0; i < np.count; i++) params[np.offset + i] = base + (2.0f * rng.uniform(i) - 1.0f) * scale;
  }
}

// A model folder's config with the generated weights (the folder needs no weight file).
inline model::BertClassifier generated_model(const std::string& name) {
  const hf::ModelConfig config = hf::read_model_config(bert_fixtures() / name / "config.json");
  model::BertClassifier model(config.bert);
  fill_generated_weights(model, 1234, config.source.value("bertcls_fixture_weight_scale", 0.125f));
  return model;
}

// A checkpoint folder loaded as a trainable classifier, with its config and load report.
struct LoadedClassifier {
  hf::ModelConfig config;
  model::BertClassifier model;
  hf::LoadReport report;
};
inline LoadedClassifier load_classifier(const std::filesystem::path& dir, const hf::LoadOptions& options = {}) {
  hf::PretrainedModel p = hf::load_pretrained(dir, options);
  return {std::move(p.config), model::BertClassifier(std::move(p.weights)), std::move(p.report)};
}

// One parity case: inputs, the reference's outputs and gradients, by tensor name.
struct ParityCase {
  std::map<std::string, io::NamedTensor> tensors;

  explicit ParityCase(const std::string& name) {
    for (io::NamedTensor& t : io::read_safetensors(bert_fixtures() / "cases" / (name + ".safetensors")))
      tensors.emplace(t.name, std::move(t));
  }
  bool has(const std::string& name) const { return tensors.count(name) > 0; }
  const io::NamedTensor& at(const std::string& name) const { return tensors.at(name); }

  std::vector<int32_t> ints(const std::string& name) const {
    return std::vector<int32_t>(at(name).data.begin(), at(name).data.end());
  }
  // The padded batch packed, with its labels.
  model::Batch batch() const {
    const auto& shape = at("input_ids").shape;
    const int B = static_cast<int>(shape[0]), S = static_cast<int>(shape[1]);
    model::Batch b = model::Batch::from_padded(ints("input_ids"), ints("token_type_ids"), ints("attention_mask"), B, S);
    if (has("class_labels")) b.class_labels = ints("class_labels");
    if (has("float_labels")) b.float_labels = at("float_labels").data;
    return b;
  }
};

}  // namespace bertcls::test
