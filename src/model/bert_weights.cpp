#include "model/bert_weights.h"

#include <cmath>

#include <algorithm>
#include <random>
#include <string>

#include <bertcls/error.h>

namespace bertcls::model {
namespace {

// DistilBERT's create_sinusoidal_embeddings: pos / 10000^(2(j/2)/dim) in double, sin in
// even columns and cos in odd ones, then rounded to float.
void fill_sinusoidal(float* w, int64_t positions, int64_t dim) {
  for (int64_t pos = 0; pos < positions; ++pos)
    for (int64_t j = 0; j < dim; ++j) {
      const double angle = static_cast<double>(pos) / std::pow(10000.0, 2.0 * static_cast<double>(j / 2) / static_cast<double>(dim));
      w[pos * dim + j] = static_cast<float>(j % 2 == 0 ? std::sin(angle) : std::cos(angle));
    }
}

void validate_config(const BertConfig& c) {
  if (c.vocab_size <= 0 || c.hidden_size <= 0 || c.num_hidden_layers <= 0 || c.num_attention_heads <= 0 ||
      c.intermediate_size <= 0 || c.max_position_embeddings <= 0)
    throw Error("config: vocab_size, hidden_size, num_hidden_layers, num_attention_heads, intermediate_size and "
                "max_position_embeddings must be positive");
  // DistilBERT has no token types; every other family has at least one.
  if (c.type_vocab_size < 0 || (c.type_vocab_size == 0 && c.family != Family::distilbert))
    throw Error("config: type_vocab_size must be positive, got " + std::to_string(c.type_vocab_size));
  if (c.embedding_size < 0 || c.position_offset < 0 || c.position_offset >= c.max_position_embeddings)
    throw Error("config: embedding_size must not be negative, and position_offset below max_position_embeddings");
  if (c.hidden_size % c.num_attention_heads != 0)
    throw Error("config: hidden_size " + std::to_string(c.hidden_size) + " is not a multiple of num_attention_heads " +
                std::to_string(c.num_attention_heads));
  if (c.head == Head::masked_lm && c.family != Family::bert)
    throw Error("config: the masked-LM head (BertForMaskedLM) is implemented for model_type bert only");
  if (c.head == Head::sequence_classification && c.num_labels < 1) throw Error("config: the classifier needs at least one label (num_labels is " +
                                    std::to_string(c.num_labels) + ")");
}

}  // namespace

BertWeights::BertWeights(BertConfig config, uint64_t init_seed) : config_(config) {
  validate_config(config_);
  names_ = model::named_parameters(config_);
  params_.assign(parameter_count(config_), 0.0f);
  p_ = point_parameters(params_.data(), config_);

  std::mt19937_64 gen(init_seed);
  std::normal_distribution<float> normal(0.0f, config_.initializer_range);
  for (const NamedParameter& np : names_) {
    float* w = params_.data() + np.offset;
    switch (np.init) {
      case InitKind::normal: std::generate(w, w + np.count, [&] { return normal(gen); }); break;
      case InitKind::zeros: std::fill(w, w + np.count, 0.0f); break;
      case InitKind::ones: std::fill(w, w + np.count, 1.0f); break;
      case InitKind::sinusoidal: fill_sinusoidal(w, np.shape[0], np.shape[1]); break;
    }
  }
  // nn.Embedding(padding_idx=pad_token_id): HF zeroes that row after the normal init.
  if (config_.pad_token_id >= 0 && config_.pad_token_id < config_.vocab_size)
    std::fill_n(p_.wte + (size_t)config_.pad_token_id * config_.hidden_size, config_.hidden_size, 0.0f);
}

void BertWeights::prepack(tensor::Precision precision) {
  packed_ = std::make_unique<const PackedWeights>(pack_weights(config_, p_, precision));
}

}  // namespace bertcls::model
