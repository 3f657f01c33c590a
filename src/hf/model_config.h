// config.json of a Hugging Face BERT-family classifier (model_type bert, roberta,
// xlm-roberta, distilbert, electra) <-> the engine's model::BertConfig plus what a folder
// carries around it (label names, the keys bertcls does not interpret), with HF's
// defaults (configuration_<family>.py, configuration_utils.py). What bertcls cannot
// honour exactly (another model_type, relative position embeddings, an unknown
// hidden_act) is an error naming the file and field, never a silent approximation.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/bert_config.h"

namespace bertcls::hf {

struct ModelConfig {
  model::BertConfig bert;
  // Names class i; bert.num_labels == id2label.size() (set_labels keeps them together).
  std::vector<std::string> id2label;
  // The config.json this came from, kept whole so that saving preserves keys bertcls
  // does not interpret (e.g. _name_or_path, emb_size, transformers_version).
  nlohmann::json source = nlohmann::json::object();

  void set_labels(std::vector<std::string> labels) {
    id2label = std::move(labels);
    bert.num_labels = static_cast<int>(id2label.size());
  }
};

ModelConfig read_model_config(const std::filesystem::path& config_json);

// transformers' class for the family's model with that head ("RobertaForSequenceClassification",
// "BertForMaskedLM").
const char* architecture_name(model::Family family, model::Head head = model::Head::sequence_classification);

// The same on a parsed document; `source` names it in error messages.
ModelConfig model_config_from_json(const nlohmann::json& json, const std::string& source);

// config.json for a fine-tuned model: the source document with the architecture fields
// (under the family's own names), architectures ["<Family>ForSequenceClassification"]
// (["BertForMaskedLM"] under the masked-LM head),
// model_type, id2label/label2id (string keys, as HF
// writes them) and problem_type (when set) overwritten. num_labels is dropped: HF
// derives it from id2label.
nlohmann::json model_config_to_json(const ModelConfig& config);

// Writes model_config_to_json(config) to `file` atomically, indented as HF does.
void write_model_config(const std::filesystem::path& file, const ModelConfig& config);

}  // namespace bertcls::hf
