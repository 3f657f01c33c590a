// config.json of a Hugging Face BERT model <-> model::BertConfig, with HF's defaults
// (configuration_bert.py, configuration_utils.py). What bertcls cannot honour exactly
// (another model_type, relative position embeddings, an unknown hidden_act) is an error
// naming the file and field, never a silent approximation.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "model/bert_config.h"

namespace bertcls::io {

model::BertConfig read_bert_config(const std::filesystem::path& config_json);

// The same on a parsed document; `source` names it in error messages.
model::BertConfig bert_config_from_json(const nlohmann::json& json, const std::string& source);

// config.json for a fine-tuned model: the source document with the architecture fields,
// architectures ["BertForSequenceClassification"], id2label/label2id (string keys, as HF
// writes them) and problem_type (when set) overwritten. num_labels is dropped: HF
// derives it from id2label.
nlohmann::json bert_config_to_json(const model::BertConfig& config);

// Writes bert_config_to_json(config) to `file` atomically, indented as HF does.
void write_bert_config(const std::filesystem::path& file, const model::BertConfig& config);

}  // namespace bertcls::io
