// Loading a Hugging Face checkpoint into BertWeights as
// BertForSequenceClassification.from_pretrained loads it:
// - keys as HF names them, with the "bert." prefix, or without it (a bare BertModel);
// - old LayerNorm names gamma/beta read as weight/bias;
// - keys the model has no place for (cls.* pre-training heads under a classifier) are
//   reported unexpected,
//   tensors the checkpoint lacks (usually classifier.*) reported missing and initialised
//   as HF's _init_weights does, from a seeded generator;
// - the position_ids / token_type_ids buffers older checkpoints carry are dropped silently;
// - under the masked-LM head (BertForMaskedLM), cls.predictions.decoder.weight and
//   .bias, which HF ties to the word embeddings and cls.predictions.bias, are read as
//   those (a checkpoint saved without tying them carries both);
// - a tensor whose shape differs from the model's is an Error naming both shapes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "io/safetensors.h"
#include "hf/model_config.h"
#include "model/bert_weights.h"

namespace bertcls::hf {

struct LoadReport {
  std::string architecture = "BertForSequenceClassification";  // as HF's warnings name the model
  std::vector<std::string> missing;     // newly initialised, named as HF names them
  std::vector<std::string> unexpected;  // in the checkpoint, not used
  // HF's two warnings ("Some weights of ... were not initialized ...", "Some weights of
  // the model checkpoint at ... were not used ..."), one per non-empty list.
  std::vector<std::string> warnings(const std::string& checkpoint) const;
};

// Copies the checkpoint's tensors into `weights`; what is missing keeps their
// initialisation. `source` names the checkpoint in errors.
LoadReport load_state_dict(model::BertWeights& weights, const std::vector<io::NamedTensor>& tensors,
                           const std::string& source);

struct LoadOptions {
  // Replaces config.json's id2label (e.g. a base checkpoint fine-tuned on a dataset's
  // labels); empty keeps the config's. A different count resizes the classifier, which
  // the checkpoint must then not provide (HF's size-mismatch error otherwise).
  std::vector<std::string> labels;
  uint64_t init_seed = 0;  // seeds the initialisation of missing tensors
  // The head to build on the encoder, whatever config.json's architectures say (HF's
  // AutoModelFor... class picks it the same way): a pre-trained BertForMaskedLM folder
  // loads as a classifier with a fresh head, and the other way round.
  model::Head head = model::Head::sequence_classification;
};

struct PretrainedModel {
  ModelConfig config;  // config.bert == weights.config()
  model::BertWeights weights;
  LoadReport report;
};

// config.json and the weights (model.safetensors, sharded, or pytorch_model.bin) of `dir`.
PretrainedModel load_pretrained(const std::filesystem::path& dir, const LoadOptions& options = {});

}  // namespace bertcls::hf
