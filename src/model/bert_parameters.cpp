#include "model/bert_parameters.h"

namespace bertcls::model {
namespace {

struct Sizes {
  size_t V, P, TV, E, C, NL, I, K;
  bool project;
  explicit Sizes(const BertConfig& c)
      : V(c.vocab_size), P(c.max_position_embeddings), TV(c.type_vocab_size), E(c.embedding_width()),
        C(c.hidden_size), NL(c.num_hidden_layers), I(c.intermediate_size), K(c.num_labels),
        project(c.projects_embeddings()) {}
};

// HF's names of one encoder layer's modules: BERT's (RoBERTa and ELECTRA keep them) or
// DistilBERT's.
struct LayerNames {
  const char* layers;  // after the base model prefix
  const char* query;
  const char* key;
  const char* value;
  const char* attention_output;
  const char* attention_norm;
  const char* intermediate;
  const char* output;
  const char* output_norm;
};

constexpr LayerNames kBertLayer{"encoder.layer.",          "attention.self.query",    "attention.self.key",
                                "attention.self.value",    "attention.output.dense",  "attention.output.LayerNorm",
                                "intermediate.dense",      "output.dense",            "output.LayerNorm"};
constexpr LayerNames kDistilBertLayer{"transformer.layer.", "attention.q_lin", "attention.k_lin",
                                      "attention.v_lin",    "attention.out_lin", "sa_layer_norm",
                                      "ffn.lin1",           "ffn.lin2",        "output_layer_norm"};

// The head's dense and output layers.
struct HeadNames {
  std::string dense, out;
};

HeadNames head_names(Family family) {
  switch (family) {
    case Family::bert: return {"bert.pooler.dense", "classifier"};
    case Family::distilbert: return {"pre_classifier", "classifier"};
    case Family::roberta:
    case Family::xlm_roberta:
    case Family::electra: break;
  }
  return {"classifier.dense", "classifier.out_proj"};
}

}  // namespace

ParameterTensors point_parameters(float* base, const BertConfig& config) {
  Sizes s(config);
  float* next = base;
  auto take = [&next](size_t n) {
    float* p = next;
    next += n;
    return p;
  };
  ParameterTensors p;
  p.wte = take(s.V * s.E);
  p.wpe = take(s.P * s.E);
  p.wtt = s.TV > 0 ? take(s.TV * s.E) : nullptr;
  p.emb_lnw = take(s.E);
  p.emb_lnb = take(s.E);
  p.projw = s.project ? take(s.C * s.E) : nullptr;
  p.projb = s.project ? take(s.C) : nullptr;
  p.qkvw = take(s.NL * 3 * s.C * s.C);
  p.qkvb = take(s.NL * 3 * s.C);
  p.attprojw = take(s.NL * s.C * s.C);
  p.attprojb = take(s.NL * s.C);
  p.ln1w = take(s.NL * s.C);
  p.ln1b = take(s.NL * s.C);
  p.fcw = take(s.NL * s.I * s.C);
  p.fcb = take(s.NL * s.I);
  p.fcprojw = take(s.NL * s.C * s.I);
  p.fcprojb = take(s.NL * s.C);
  p.ln2w = take(s.NL * s.C);
  p.ln2b = take(s.NL * s.C);
  const bool mlm = config.head == Head::masked_lm;
  p.poolw = mlm ? nullptr : take(s.C * s.C);
  p.poolb = mlm ? nullptr : take(s.C);
  p.clsw = mlm ? nullptr : take(s.K * s.C);
  p.clsb = mlm ? nullptr : take(s.K);
  p.mlmw = mlm ? take(s.C * s.C) : nullptr;
  p.mlmb = mlm ? take(s.C) : nullptr;
  p.mlm_lnw = mlm ? take(s.C) : nullptr;
  p.mlm_lnb = mlm ? take(s.C) : nullptr;
  p.mlm_bias = mlm ? take(s.V) : nullptr;
  return p;
}

LayerTensors layer_tensors(const ParameterTensors& p, const BertConfig& config, int l) {
  const size_t C = config.hidden_size, I = config.intermediate_size, n = static_cast<size_t>(l);
  return {p.qkvw + n * 3 * C * C, p.qkvb + n * 3 * C, p.attprojw + n * C * C, p.attprojb + n * C,
          p.ln1w + n * C,         p.ln1b + n * C,     p.fcw + n * I * C,      p.fcb + n * I,
          p.fcprojw + n * C * I,  p.fcprojb + n * C,  p.ln2w + n * C,         p.ln2b + n * C};
}

size_t parameter_count(const BertConfig& config) {
  const NamedParameter last = named_parameters(config).back();
  return last.offset + last.count;
}

std::string base_model_prefix(Family family) {
  switch (family) {
    case Family::bert: return "bert.";
    case Family::roberta:
    case Family::xlm_roberta: return "roberta.";
    case Family::distilbert: return "distilbert.";
    case Family::electra: return "electra.";
  }
  return "bert.";
}

std::vector<NamedParameter> named_parameters(const BertConfig& config) {
  Sizes s(config);
  std::vector<NamedParameter> out;
  size_t offset = 0;
  auto add = [&](std::string name, std::vector<int64_t> shape, InitKind init) {
    size_t count = 1;
    for (int64_t d : shape) count *= static_cast<size_t>(d);
    out.push_back({std::move(name), std::move(shape), offset, count, init, init != InitKind::sinusoidal});
    offset += count;
  };
  const int64_t V = s.V, P = s.P, TV = s.TV, E = s.E, C = s.C, I = s.I, K = s.K;
  const std::string base = base_model_prefix(config.family);
  const LayerNames& n = config.family == Family::distilbert ? kDistilBertLayer : kBertLayer;
  add(base + "embeddings.word_embeddings.weight", {V, E}, InitKind::normal);
  add(base + "embeddings.position_embeddings.weight", {P, E},
      config.sinusoidal_positions ? InitKind::sinusoidal : InitKind::normal);
  if (TV > 0) add(base + "embeddings.token_type_embeddings.weight", {TV, E}, InitKind::normal);
  add(base + "embeddings.LayerNorm.weight", {E}, InitKind::ones);
  add(base + "embeddings.LayerNorm.bias", {E}, InitKind::zeros);
  if (s.project) {
    add(base + "embeddings_project.weight", {C, E}, InitKind::normal);
    add(base + "embeddings_project.bias", {C}, InitKind::zeros);
  }
  // The buffer groups each kind of tensor across layers (see ParameterTensors); names are
  // generated in that order, which is not HF's order but names every slice exactly once.
  auto layer = [&](size_t l, const char* module, const char* what) {
    return base + n.layers + std::to_string(l) + "." + module + "." + what;
  };
  auto per_layer = [&](const char* module, const char* what, std::vector<int64_t> shape, InitKind init) {
    for (size_t l = 0; l < s.NL; l++) add(layer(l, module, what), shape, init);
  };
  for (const char* what : {"weight", "bias"}) {
    const bool weight = what[0] == 'w';
    for (size_t l = 0; l < s.NL; l++)
      for (const char* proj : {n.query, n.key, n.value})
        add(layer(l, proj, what), weight ? std::vector<int64_t>{C, C} : std::vector<int64_t>{C},
            weight ? InitKind::normal : InitKind::zeros);
  }
  per_layer(n.attention_output, "weight", {C, C}, InitKind::normal);
  per_layer(n.attention_output, "bias", {C}, InitKind::zeros);
  per_layer(n.attention_norm, "weight", {C}, InitKind::ones);
  per_layer(n.attention_norm, "bias", {C}, InitKind::zeros);
  per_layer(n.intermediate, "weight", {I, C}, InitKind::normal);
  per_layer(n.intermediate, "bias", {I}, InitKind::zeros);
  per_layer(n.output, "weight", {C, I}, InitKind::normal);
  per_layer(n.output, "bias", {C}, InitKind::zeros);
  per_layer(n.output_norm, "weight", {C}, InitKind::ones);
  per_layer(n.output_norm, "bias", {C}, InitKind::zeros);
  if (config.head == Head::masked_lm) {
    // BertForMaskedLM has no pooler; cls.predictions.decoder.weight is the word embeddings.
    add("cls.predictions.transform.dense.weight", {C, C}, InitKind::normal);
    add("cls.predictions.transform.dense.bias", {C}, InitKind::zeros);
    add("cls.predictions.transform.LayerNorm.weight", {C}, InitKind::ones);
    add("cls.predictions.transform.LayerNorm.bias", {C}, InitKind::zeros);
    add("cls.predictions.bias", {V}, InitKind::zeros);
    return out;
  }
  const HeadNames head = head_names(config.family);
  add(head.dense + ".weight", {C, C}, InitKind::normal);
  add(head.dense + ".bias", {C}, InitKind::zeros);
  add(head.out + ".weight", {K, C}, InitKind::normal);
  add(head.out + ".bias", {K}, InitKind::zeros);
  return out;
}

}  // namespace bertcls::model
