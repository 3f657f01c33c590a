// The architecture and head of a BERT-family classifier: plain numbers, everything the
// engine needs to size its buffers and choose its ops. Reading it from config.json (and keeping
// label names and the keys bertcls does not interpret) is hf/model_config.h's job.
#pragma once

#include <optional>

namespace bertcls::model {

// hidden_act values BERT checkpoints use. gelu is the exact erf form (HF "gelu");
// gelu_new / gelu_pytorch_tanh are the tanh approximation. tanh is the BERT pooler's.
enum class Activation { gelu, gelu_tanh, relu, silu, tanh };

// The transformers architectures bertcls runs. They share the post-LayerNorm encoder and
// differ where the fields below say: embeddings, attention-output dropout and the head.
//   bert        BertForSequenceClassification: pooler dense -> tanh on [CLS], dropout, classifier
//   roberta     RobertaForSequenceClassification (xlm-roberta too): positions from
//               padding_idx + 1, one token type, head dropout -> dense -> tanh -> dropout -> out_proj
//   distilbert  DistilBertForSequenceClassification: no token types, no attention-output
//               dropout, head pre_classifier -> ReLU -> dropout -> classifier
//   electra     ElectraForSequenceClassification: embeddings of embedding_size projected to
//               hidden_size, head dropout -> dense -> hidden_act -> dropout -> out_proj
enum class Family { bert, roberta, xlm_roberta, distilbert, electra };

// What sits on the encoder: BertForSequenceClassification's head on the first token, or
// BertForMaskedLM's (cls.predictions: dense -> hidden_act -> LayerNorm -> a decoder tied to
// the word embeddings, plus a bias) on the masked tokens, for pre-training. Only the bert
// family has the masked-LM head so far.
enum class Head { sequence_classification, masked_lm };

// HF's problem_type: chooses the loss of BertForSequenceClassification.
enum class ProblemType { single_label_classification, multi_label_classification, regression };

struct BertConfig {
  Family family = Family::bert;
  Head head = Head::sequence_classification;
  int vocab_size = 0;                // V
  int hidden_size = 0;               // C
  int num_hidden_layers = 0;         // NL
  int num_attention_heads = 0;       // NH; head size HS = C / NH
  int intermediate_size = 0;         // I; 4C in bert-base
  int max_position_embeddings = 512; // P
  int type_vocab_size = 2;           // TV; 0: no token type embeddings (DistilBERT)
  int embedding_size = 0;            // E; 0: hidden_size. ELECTRA projects E -> C.
  int position_offset = 0;           // a sequence's first position id (RoBERTa: padding_idx + 1)
  // DistilBERT's sinusoidal_pos_embds: fixed sin/cos position embeddings that never train.
  bool sinusoidal_positions = false;
  float layer_norm_eps = 1e-12f;
  Activation hidden_act = Activation::gelu;
  float hidden_dropout_prob = 0.1f;
  float attention_probs_dropout_prob = 0.1f;
  float classifier_dropout = 0.1f;   // HF falls back to hidden_dropout_prob when null
  int pad_token_id = 0;              // -1: none (config.json has null)
  float initializer_range = 0.02f;   // stddev of the normal init of new weights
  int num_labels = 2;                // K: the classifier's outputs (unused by the masked-LM head)
  // As HF: when config.json has no problem_type it is inferred from the labels at the
  // first loss computation (1 label -> regression; integer labels -> single label;
  // float labels -> multi label), and then kept.
  std::optional<ProblemType> problem_type;

  int head_size() const { return hidden_size / num_attention_heads; }
  int embedding_width() const { return embedding_size > 0 ? embedding_size : hidden_size; }
  // The longest sequence the position embeddings hold.
  int max_sequence_length() const { return max_position_embeddings - position_offset; }
  bool projects_embeddings() const { return embedding_width() != hidden_size; }
  // Dropout after each layer's attention output projection (all but DistilBERT).
  bool attention_output_dropout() const { return family != Family::distilbert; }
  // The head on the first token: [dropout] -> dense -> activation -> dropout -> out.
  bool head_input_dropout() const {
    return family == Family::roberta || family == Family::xlm_roberta || family == Family::electra;
  }
  Activation head_activation() const {
    if (family == Family::distilbert) return Activation::relu;
    // transformers' ElectraClassificationHead: get_activation(config.hidden_act) (older
    // versions hard-coded "gelu", every ELECTRA checkpoint's hidden_act).
    if (family == Family::electra) return hidden_act;
    return Activation::tanh;
  }
};

}  // namespace bertcls::model
