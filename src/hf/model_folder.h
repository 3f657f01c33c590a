// Saving fine-tuned weights as a Hugging Face folder that
// AutoModelForSequenceClassification.from_pretrained and AutoTokenizer.from_pretrained
// load unchanged: config.json (architectures BertForSequenceClassification, id2label,
// label2id, problem_type, the rest of the source config), model.safetensors with HF key
// names, and the tokenizer's files.
#pragma once

#include <filesystem>

#include "hf/model_config.h"
#include "model/bert_weights.h"
#include "text/tokenizer.h"

namespace bertcls::hf {

// The architecture and problem type come from the weights; label names and the keys
// bertcls does not interpret from `config`. Writes everything into a fresh sibling
// directory, then renames it to `dir`, so `dir` is always either the old complete
// folder or the new complete one. `tokenizer` may be null (no tokenizer files then).
void save_model_folder(const ModelConfig& config, const model::BertWeights& weights, const text::Tokenizer* tokenizer,
                       const std::filesystem::path& dir);

}  // namespace bertcls::hf
