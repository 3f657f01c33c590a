// The architecture and head of a BERT classifier: plain numbers, everything the engine
// needs to size its buffers and choose its ops. Reading it from config.json (and keeping
// label names and the keys bertcls does not interpret) is hf/model_config.h's job.
#pragma once

#include <optional>

namespace bertcls::model {

// hidden_act values BERT checkpoints use. gelu is the exact erf form (HF "gelu");
// gelu_new / gelu_pytorch_tanh are the tanh approximation.
enum class Activation { gelu, gelu_tanh, relu, silu };

// HF's problem_type: chooses the loss of BertForSequenceClassification.
enum class ProblemType { single_label_classification, multi_label_classification, regression };

struct BertConfig {
  int vocab_size = 0;                // V
  int hidden_size = 0;               // C
  int num_hidden_layers = 0;         // NL
  int num_attention_heads = 0;       // NH; head size HS = C / NH
  int intermediate_size = 0;         // I; 4C in bert-base
  int max_position_embeddings = 512; // P
  int type_vocab_size = 2;           // TV
  float layer_norm_eps = 1e-12f;
  Activation hidden_act = Activation::gelu;
  float hidden_dropout_prob = 0.1f;
  float attention_probs_dropout_prob = 0.1f;
  float classifier_dropout = 0.1f;   // HF falls back to hidden_dropout_prob when null
  int pad_token_id = 0;              // -1: none (config.json has null)
  float initializer_range = 0.02f;   // stddev of the normal init of new weights
  int num_labels = 2;                // K: the classifier's outputs
  // As HF: when config.json has no problem_type it is inferred from the labels at the
  // first loss computation (1 label -> regression; integer labels -> single label;
  // float labels -> multi label), and then kept.
  std::optional<ProblemType> problem_type;

  int head_size() const { return hidden_size / num_attention_heads; }
};

}  // namespace bertcls::model
