// All parameters of a BERT-family classifier in one contiguous buffer, llm.c style:
// typed views point into it, so zeroing gradients, AdamW and the global gradient norm
// are single loops over one array. Each layer's query, key and value weights lie next to
// each other as one [3C, C] matrix (HF's three [C, C] weights stacked on the output
// dimension), so the three projections are one GEMM.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "model/bert_config.h"

namespace bertcls::model {

struct ParameterTensors {
  float* wte;       // [V, E]   word embeddings (E = embedding_width(), C but for ELECTRA)
  float* wpe;       // [P, E]   position embeddings
  float* wtt;       // [TV, E]  token type embeddings; null without them (DistilBERT)
  float* emb_lnw;   // [E]
  float* emb_lnb;   // [E]
  float* projw;     // [C, E]   ELECTRA's embeddings_project; null when E == C
  float* projb;     // [C]
  float* qkvw;      // [NL, 3C, C]
  float* qkvb;      // [NL, 3C]
  float* attprojw;  // [NL, C, C]
  float* attprojb;  // [NL, C]
  float* ln1w;      // [NL, C]
  float* ln1b;      // [NL, C]
  float* fcw;       // [NL, I, C]
  float* fcb;       // [NL, I]
  float* fcprojw;   // [NL, C, I]
  float* fcprojb;   // [NL, C]
  float* ln2w;      // [NL, C]
  float* ln2b;      // [NL, C]
  // The classification head; null under the masked-LM head.
  float* poolw;     // [C, C]   the head's dense layer (BERT's pooler)
  float* poolb;     // [C]
  float* clsw;      // [K, C]   the head's output layer
  float* clsb;      // [K]
  // The masked-LM head (cls.predictions); null under the classification head. Its decoder
  // weight is wte itself (tied, as HF ties it), so only its bias is a tensor of its own.
  float* mlmw;      // [C, C]   transform.dense
  float* mlmb;      // [C]
  float* mlm_lnw;   // [C]      transform.LayerNorm
  float* mlm_lnb;   // [C]
  float* mlm_bias;  // [V]      the decoder's bias (cls.predictions.bias)
};

// One encoder layer's slices of ParameterTensors (forward and backward name them once).
struct LayerTensors {
  float *qkvw, *qkvb, *attprojw, *attprojb, *ln1w, *ln1b, *fcw, *fcb, *fcprojw, *fcprojb, *ln2w, *ln2b;
};
// Layer l's slices of `p` (the parameters or their gradients) for this config.
LayerTensors layer_tensors(const ParameterTensors& p, const BertConfig& config, int l);

// Number of floats in the buffer for this config.
size_t parameter_count(const BertConfig& config);
// Views into `base`, which holds parameter_count(config) floats.
ParameterTensors point_parameters(float* base, const BertConfig& config);

// How HF's _init_weights initialises a tensor a checkpoint does not provide; sinusoidal is
// DistilBERT's create_sinusoidal_embeddings.
enum class InitKind { normal, zeros, ones, sinusoidal };

// One tensor under its Hugging Face name for the config's family
// ("bert.encoder.layer.0.attention.self.query.weight", "distilbert.transformer.layer.0.
// attention.q_lin.weight", "classifier.out_proj.bias"), as a slice of the buffer.
struct NamedParameter {
  std::string name;
  std::vector<int64_t> shape;
  size_t offset;  // in floats from the buffer's start
  size_t count;
  InitKind init;
  bool trainable = true;  // false: the optimizer leaves it as it is (sinusoidal positions)
};

// The prefix of the base model's names in the family's checkpoints ("bert.", "roberta.", …).
std::string base_model_prefix(Family family);

// Every parameter, in the buffer's order (not HF's state_dict order, which interleaves
// layers; checkpoints are matched by name, so the order never matters to them).
std::vector<NamedParameter> named_parameters(const BertConfig& config);

}  // namespace bertcls::model
