#include "model/bert_parameters.h"

namespace bertcls::model {
namespace {

struct Sizes {
  size_t V, P, TV, C, NL, I, K;
  explicit Sizes(const BertConfig& c)
      : V(c.vocab_size), P(c.max_position_embeddings), TV(c.type_vocab_size), C(c.hidden_size),
        NL(c.num_hidden_layers), I(c.intermediate_size), K(c.num_labels) {}
};

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
  p.wte = take(s.V * s.C);
  p.wpe = take(s.P * s.C);
  p.wtt = take(s.TV * s.C);
  p.emb_lnw = take(s.C);
  p.emb_lnb = take(s.C);
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
  p.poolw = take(s.C * s.C);
  p.poolb = take(s.C);
  p.clsw = take(s.K * s.C);
  p.clsb = take(s.K);
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

std::vector<NamedParameter> named_parameters(const BertConfig& config) {
  Sizes s(config);
  std::vector<NamedParameter> out;
  size_t offset = 0;
  auto add = [&](std::string name, std::vector<int64_t> shape, InitKind init) {
    size_t count = 1;
    for (int64_t d : shape) count *= static_cast<size_t>(d);
    out.push_back({std::move(name), std::move(shape), offset, count, init});
    offset += count;
  };
  const int64_t V = s.V, P = s.P, TV = s.TV, C = s.C, I = s.I, K = s.K;
  add("bert.embeddings.word_embeddings.weight", {V, C}, InitKind::normal);
  add("bert.embeddings.position_embeddings.weight", {P, C}, InitKind::normal);
  add("bert.embeddings.token_type_embeddings.weight", {TV, C}, InitKind::normal);
  add("bert.embeddings.LayerNorm.weight", {C}, InitKind::ones);
  add("bert.embeddings.LayerNorm.bias", {C}, InitKind::zeros);
  // The buffer groups each kind of tensor across layers (see ParameterTensors); names are
  // generated in that order, which is not HF's order but names every slice exactly once.
  auto per_layer = [&](const std::string& suffix, std::vector<int64_t> shape, InitKind init) {
    for (size_t l = 0; l < s.NL; l++) add("bert.encoder.layer." + std::to_string(l) + "." + suffix, shape, init);
  };
  auto per_layer_qkv = [&](const std::string& what, std::vector<int64_t> shape, InitKind init) {
    for (size_t l = 0; l < s.NL; l++)
      for (const char* proj : {"query", "key", "value"})
        add("bert.encoder.layer." + std::to_string(l) + ".attention.self." + proj + "." + what, shape, init);
  };
  per_layer_qkv("weight", {C, C}, InitKind::normal);
  per_layer_qkv("bias", {C}, InitKind::zeros);
  per_layer("attention.output.dense.weight", {C, C}, InitKind::normal);
  per_layer("attention.output.dense.bias", {C}, InitKind::zeros);
  per_layer("attention.output.LayerNorm.weight", {C}, InitKind::ones);
  per_layer("attention.output.LayerNorm.bias", {C}, InitKind::zeros);
  per_layer("intermediate.dense.weight", {I, C}, InitKind::normal);
  per_layer("intermediate.dense.bias", {I}, InitKind::zeros);
  per_layer("output.dense.weight", {C, I}, InitKind::normal);
  per_layer("output.dense.bias", {C}, InitKind::zeros);
  per_layer("output.LayerNorm.weight", {C}, InitKind::ones);
  per_layer("output.LayerNorm.bias", {C}, InitKind::zeros);
  add("bert.pooler.dense.weight", {C, C}, InitKind::normal);
  add("bert.pooler.dense.bias", {C}, InitKind::zeros);
  add("classifier.weight", {K, C}, InitKind::normal);
  add("classifier.bias", {K}, InitKind::zeros);
  return out;
}

}  // namespace bertcls::model
