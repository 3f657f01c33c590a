#include "model/packed_weights.h"

#include <vector>

namespace bertcls::model {

using tensor::Epilogue;
using tensor::PackedLinear;

PackedWeights pack_weights(const BertConfig& c, const ParameterTensors& p, tensor::Precision precision) {
  const int C = c.hidden_size, E = c.embedding_width(), I = c.intermediate_size, K = c.num_labels;
  // GELU runs inside the product's epilogue; other activations stay a pass of their own.
  const Epilogue fc_epilogue = c.hidden_act == Activation::gelu        ? Epilogue::gelu_erf
                               : c.hidden_act == Activation::gelu_tanh ? Epilogue::gelu_tanh
                                                                       : Epilogue::none;
  std::optional<PackedLinear> proj;
  if (c.projects_embeddings()) proj.emplace(p.projw, p.projb, E, C, precision);
  std::vector<PackedLayer> layers;
  layers.reserve(c.num_hidden_layers);
  for (int l = 0; l < c.num_hidden_layers; l++) {
    const LayerTensors lw = layer_tensors(p, c, l);
    layers.push_back(PackedLayer{PackedLinear(lw.qkvw, lw.qkvb, C, 3 * C, precision),
                                 PackedLinear(lw.attprojw, lw.attprojb, C, C, precision),
                                 PackedLinear(lw.fcw, lw.fcb, C, I, precision, fc_epilogue),
                                 PackedLinear(lw.fcprojw, lw.fcprojb, I, C, precision)});
  }
  return PackedWeights{precision, std::move(proj), std::move(layers), PackedLinear(p.poolw, p.poolb, C, C, precision),
                       PackedLinear(p.clsw, p.clsb, C, K, precision)};
}

void warm_up(const PackedWeights& w) {
  std::vector<const PackedLinear*> all{&w.pool, &w.cls};
  if (w.proj) all.push_back(&*w.proj);
  for (const PackedLayer& l : w.layers) all.insert(all.end(), {&l.qkv, &l.attproj, &l.fc, &l.fcproj});
  const int rows = PackedLinear::chunk_rows();
  const int n = static_cast<int>(all.size()) * rows;
  // Independent builds; layer-major, so a shape's first layer fills oneDNN's cache early.
#pragma omp parallel for schedule(dynamic)
  for (int i = 0; i < n; i++) all[i / rows]->build(1 + i % rows);
}

}  // namespace bertcls::model
