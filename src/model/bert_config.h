// The architecture and head of a BERT classifier, as config.json describes it.
// Parsed and written by io/bert_config_json.h; everything the engine needs to size its
// buffers and choose its ops is here.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace bertcls::model {

// hidden_act values BERT checkpoints use. gelu is the exact erf form (HF "gelu");
// gelu_new / gelu_pytorch_tanh are the tanh approximation.
enum class Activation { gelu, gelu_tanh, relu, silu };

// HF's problem_type: chooses the loss of BertForSequenceClassification.
enum class ProblemType { single_label_classification, multi_label_classification, regression };

struct BertConfig {
  int vocab_size = 0;
  int hidden_size = 0;               // C
  int num_hidden_layers = 0;         // L
  int num_attention_heads = 0;       // NH; head size HS = C / NH
  int intermediate_size = 0;         // 4C in bert-base
  int max_position_embeddings = 512;
  int type_vocab_size = 2;
  float layer_norm_eps = 1e-12f;
  Activation hidden_act = Activation::gelu;
  float hidden_dropout_prob = 0.1f;
  float attention_probs_dropout_prob = 0.1f;
  float classifier_dropout = 0.1f;   // HF falls back to hidden_dropout_prob when null
  int pad_token_id = 0;              // -1: none (config.json has null)

  // Labels: id2label[i] names class i; num_labels() == id2label.size().
  std::vector<std::string> id2label;
  // As HF: when config.json has no problem_type it is inferred from the labels at the
  // first loss computation (1 label -> regression; integer labels -> single label;
  // float labels -> multi label). problem_type_set says whether config.json fixed it.
  ProblemType problem_type = ProblemType::single_label_classification;
  bool problem_type_set = false;

  // The config.json this came from, kept whole so that saving preserves keys bertcls
  // does not interpret (e.g. _name_or_path, emb_size, transformers_version).
  nlohmann::json source = nlohmann::json::object();

  int num_labels() const { return static_cast<int>(id2label.size()); }
  int head_size() const { return hidden_size / num_attention_heads; }
};

}  // namespace bertcls::model
