// Tiny BERTs for tests: the sizes of a small random model, and such a model saved as a
// Hugging Face folder with the bundled rubert-tiny2 tokenizer, a real model folder for
// tests of predict and serve that need no committed weights.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "hf/model_folder.h"
#include "model/bert_config.h"
#include "text/tokenizer.h"

namespace bertcls::test {

// A tiny BERT's sizes, named as in model::BertConfig; a test sets the ones it depends on
// (vocab_size always) and the rest stay this small.
struct TinyBert {
  int vocab_size = 0;
  int num_labels = 2;
  int hidden_size = 16;
  int num_hidden_layers = 2;
  int num_attention_heads = 2;
  int intermediate_size = 32;
  int max_position_embeddings = 32;
};

// BertConfig's defaults with these sizes, e.g. tiny_bert_config({.vocab_size = 40}).
inline model::BertConfig tiny_bert_config(const TinyBert& sizes) {
  return {.vocab_size = sizes.vocab_size,
          .hidden_size = sizes.hidden_size,
          .num_hidden_layers = sizes.num_hidden_layers,
          .num_attention_heads = sizes.num_attention_heads,
          .intermediate_size = sizes.intermediate_size,
          .max_position_embeddings = sizes.max_position_embeddings,
          .num_labels = sizes.num_labels,
          .problem_type = std::nullopt};
}

// A model folder in dir: a tiny BERT (wider than tiny_bert_config's defaults) with
// rubert-tiny2's tokenizer and the given labels.
inline std::filesystem::path make_tiny_model_folder(const std::filesystem::path& dir,
                                                    std::vector<std::string> labels = {"negative", "positive"}) {
  text::Tokenizer tokenizer = text::Tokenizer::from_directory(std::filesystem::path(BERTCLS_SOURCE_DIR) / "data/rubert-tiny2");
  hf::ModelConfig config;
  config.bert = tiny_bert_config({.vocab_size = tokenizer.vocab_size(),
                                  .hidden_size = 32,
                                  .num_attention_heads = 4,
                                  .intermediate_size = 64,
                                  .max_position_embeddings = 128});
  // initializer_range 0.02 makes every text score about 50/50; a wider init makes the
  // scores differ between texts, which is what tests comparing outputs need.
  config.bert.initializer_range = 0.5;
  config.set_labels(std::move(labels));
  const model::BertWeights weights(config.bert, /*init_seed=*/42);
  hf::save_model_folder(config, weights, &tokenizer, dir);
  return dir;
}

}  // namespace bertcls::test
