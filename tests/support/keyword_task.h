// A task a tiny random BERT learns in a few epochs: whether a sequence holds token 7
// (class 1) or token 9 (class 0) among random filler tokens. Shared by the trainer tests.
#pragma once

#include <string>
#include <vector>

#include "support/tiny_model.h"
#include "train/seeded_shuffle.h"
#include "train/trainer.h"

namespace bertcls::test {

// The model the task is learned by: tokens 0..39, tiny_bert_config's sizes.
inline model::BertConfig tiny_config(int num_labels) {
  return tiny_bert_config({.vocab_size = 40, .num_labels = num_labels});
}

// n examples: [CLS]=1, fillers from 10..39, the class's keyword at a random place, [SEP]=2.
struct KeywordTask {
  std::vector<io::Example> examples;
  train::EncodedExamples encoded;

  KeywordTask(std::size_t n, std::uint64_t seed) {
    train::SeededRng rng(seed);
    for (std::size_t i = 0; i < n; ++i) {
      io::Example ex;
      ex.label = static_cast<int>(i % 2);
      ex.labels.push_back(ex.label);
      ex.target = ex.label ? 1.0f : -1.0f;
      std::vector<int32_t> ids{1};
      const auto len = 3 + rng.below(8);
      for (std::uint64_t t = 0; t < len; ++t) ids.push_back(10 + static_cast<int32_t>(rng.below(30)));
      ids[1 + rng.below(len)] = ex.label ? 7 : 9;
      ids.push_back(2);
      encoded.add_window(ids, std::vector<int32_t>(ids.size(), 0), i);
      examples.push_back(ex);
    }
  }
  train::EncodedDataset data() const { return {examples, encoded}; }
};

inline train::TrainerOptions fast_options() {
  train::TrainerOptions o;
  o.epochs = 6;
  o.batch_size = 8;
  o.lr = 3e-3;
  o.warmup_ratio = 0.1;
  o.seed = 3;
  return o;
}

}  // namespace bertcls::test
