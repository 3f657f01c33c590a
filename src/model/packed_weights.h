// Inference's copy of a BertWeights' dense layers in the kernel layer's packed layout
// (tensor/packed_linear.h), built once at load and read-only after: fp32, bf16 or
// int8. The flat buffer stays the source of truth (saving, training); a BertWorkspace
// runs a forward without backward through these when the weights hold them.
#pragma once

#include <optional>
#include <vector>

#include "model/bert_config.h"
#include "model/bert_parameters.h"
#include "tensor/packed_linear.h"

namespace bertcls::model {

struct PackedLayer {
  tensor::PackedLinear qkv, attproj;
  tensor::PackedLinear fc;  // GELU fused as its epilogue when hidden_act is one
  tensor::PackedLinear fcproj;
};

struct PackedWeights {
  tensor::Precision precision;
  std::optional<tensor::PackedLinear> proj;  // ELECTRA's embeddings_project
  std::vector<PackedLayer> layers;
  tensor::PackedLinear pool, cls;
};

// Throws Error for bf16 on a CPU without it (naming the missing feature).
PackedWeights pack_weights(const BertConfig& config, const ParameterTensors& p, tensor::Precision precision);

// Builds every dense layer's kernel for every chunk row count now, so that no batch
// shape pays oneDNN's first-use cost later (a server's first requests). The layers of
// one shape share oneDNN's cache: measured 0.9 s for rubert-tiny2, 2.3 s for bert-base
// (2 busy cores), more than a one-off predict saves.
void warm_up(const PackedWeights& w);

}  // namespace bertcls::model
