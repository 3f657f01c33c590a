// A small randomly initialised BERT classifier saved as a Hugging Face folder with the
// bundled rubert-tiny2 tokenizer: a real model folder for tests of predict and serve
// that need no committed weights.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "model/bert_classifier.h"
#include "model/model_folder.h"
#include "text/tokenizer.h"

namespace bertcls::test {

inline std::filesystem::path make_tiny_model_folder(const std::filesystem::path& dir,
                                                    std::vector<std::string> labels = {"negative", "positive"}) {
  text::Tokenizer tokenizer = text::Tokenizer::from_directory(std::filesystem::path(BERTCLS_SOURCE_DIR) / "data/rubert-tiny2");
  model::BertConfig config;
  config.vocab_size = tokenizer.vocab_size();
  config.hidden_size = 32;
  config.num_hidden_layers = 2;
  config.num_attention_heads = 4;
  config.intermediate_size = 64;
  config.max_position_embeddings = 128;
  config.id2label = std::move(labels);
  config.source = {{"model_type", "bert"}};
  // initializer_range 0.02 makes every text score about 50/50; a wider init makes the
  // scores differ between texts, which is what tests comparing outputs need.
  config.source["initializer_range"] = 0.5;
  model::BertClassifier model(config, /*init_seed=*/42);
  model::save_model_folder(model, &tokenizer, dir);
  return dir;
}

}  // namespace bertcls::test
