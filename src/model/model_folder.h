// Saving a fine-tuned BertClassifier as a Hugging Face folder that
// AutoModelForSequenceClassification.from_pretrained and AutoTokenizer.from_pretrained
// load unchanged: config.json (architectures BertForSequenceClassification, id2label,
// label2id, problem_type, the rest of the source config), model.safetensors with HF key
// names, and the tokenizer's files.
#pragma once

#include <filesystem>

#include "model/bert_classifier.h"
#include "text/tokenizer.h"

namespace bertcls::model {

// Writes everything into a fresh sibling directory, then renames it to `dir`, so `dir`
// is always either the old complete folder or the new complete one; an existing `dir`
// is replaced only once the new folder is complete. `tokenizer` may be null (no
// tokenizer files are written then).
void save_model_folder(const BertClassifier& model, const text::Tokenizer* tokenizer, const std::filesystem::path& dir);

}  // namespace bertcls::model
