// A small randomly initialised BERT classifier saved as a Hugging Face folder with the
// bundled rubert-tiny2 tokenizer: a real model folder for tests of predict and serve
// that need no committed weights.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "hf/model_folder.h"
#include "text/tokenizer.h"

namespace bertcls::test {

inline std::filesystem::path make_tiny_model_folder(const std::filesystem::path& dir,
                                                    std::vector<std::string> labels = {"negative", "positive"}) {
  text::Tokenizer tokenizer = text::Tokenizer::from_directory(std::filesystem::path(BERTCLS_SOURCE_DIR) / "data/rubert-tiny2");
  hf::ModelConfig config;
  config.bert.vocab_size = tokenizer.vocab_size();
  config.bert.hidden_size = 32;
  config.bert.num_hidden_layers = 2;
  config.bert.num_attention_heads = 4;
  config.bert.intermediate_size = 64;
  config.bert.max_position_embeddings = 128;
  // initializer_range 0.02 makes every text score about 50/50; a wider init makes the
  // scores differ between texts, which is what tests comparing outputs need.
  config.bert.initializer_range = 0.5;
  config.set_labels(std::move(labels));
  const model::BertWeights weights(config.bert, /*init_seed=*/42);
  hf::save_model_folder(config, weights, &tokenizer, dir);
  return dir;
}

}  // namespace bertcls::test
