#include "hf/model_config.h"

#include <charconv>
#include <cmath>
#include <map>

#include <bertcls/error.h>
#include "io/atomic_file.h"
#include "io/strict_json.h"

using bertcls::io::read_json_strict;
using bertcls::io::write_file_atomically;

namespace bertcls::hf {
namespace {

using nlohmann::json;
using model::Activation;
using model::ProblemType;

// hidden_act names of transformers' ACT2FN that bertcls computes exactly. gelu_fast is
// the tanh form written differently; gelu_python is the erf form in Python.
const std::map<std::string, Activation>& activations_by_name() {
  static const std::map<std::string, Activation> names = {
      {"gelu", Activation::gelu},          {"gelu_python", Activation::gelu},
      {"gelu_new", Activation::gelu_tanh}, {"gelu_pytorch_tanh", Activation::gelu_tanh},
      {"gelu_fast", Activation::gelu_tanh}, {"relu", Activation::relu},
      {"silu", Activation::silu},           {"swish", Activation::silu},
      {"tanh", Activation::tanh},
  };
  return names;
}

const char* activation_name(Activation act) {
  switch (act) {
    case Activation::gelu: return "gelu";
    case Activation::gelu_tanh: return "gelu_new";
    case Activation::relu: return "relu";
    case Activation::silu: return "silu";
    case Activation::tanh: return "tanh";
  }
  return "gelu";
}

const char* problem_type_name(ProblemType type) {
  switch (type) {
    case ProblemType::single_label_classification: return "single_label_classification";
    case ProblemType::multi_label_classification: return "multi_label_classification";
    case ProblemType::regression: return "regression";
  }
  return "single_label_classification";
}

// How each family's config.json names the engine's numbers, and HF's defaults for them
// (configuration_<family>.py). DistilBERT has its own names for most of them.
struct FamilyKeys {
  model::Family family;
  const char* model_type;
  const char* architecture;
  const char *hidden_size, *num_hidden_layers, *num_attention_heads, *intermediate_size, *hidden_act,
      *hidden_dropout, *attention_dropout, *classifier_dropout;
  model::BertConfig defaults;
};

model::BertConfig defaults_with(int vocab, int hidden, int layers, int heads, int intermediate, int pad, int types,
                                float eps, int embedding_size = 0) {
  model::BertConfig c;
  c.vocab_size = vocab;
  c.hidden_size = hidden;
  c.num_hidden_layers = layers;
  c.num_attention_heads = heads;
  c.intermediate_size = intermediate;
  c.pad_token_id = pad;
  c.type_vocab_size = types;
  c.layer_norm_eps = eps;
  c.embedding_size = embedding_size;
  return c;
}

const std::vector<FamilyKeys>& families() {
  using model::Family;
  static const std::vector<FamilyKeys> table = {
      {Family::bert, "bert", "BertForSequenceClassification", "hidden_size", "num_hidden_layers",
       "num_attention_heads", "intermediate_size", "hidden_act", "hidden_dropout_prob",
       "attention_probs_dropout_prob", "classifier_dropout", defaults_with(30522, 768, 12, 12, 3072, 0, 2, 1e-12f)},
      {Family::roberta, "roberta", "RobertaForSequenceClassification", "hidden_size", "num_hidden_layers",
       "num_attention_heads", "intermediate_size", "hidden_act", "hidden_dropout_prob",
       "attention_probs_dropout_prob", "classifier_dropout", defaults_with(50265, 768, 12, 12, 3072, 1, 2, 1e-12f)},
      {Family::xlm_roberta, "xlm-roberta", "XLMRobertaForSequenceClassification", "hidden_size",
       "num_hidden_layers", "num_attention_heads", "intermediate_size", "hidden_act", "hidden_dropout_prob",
       "attention_probs_dropout_prob", "classifier_dropout", defaults_with(30522, 768, 12, 12, 3072, 1, 2, 1e-12f)},
      {Family::distilbert, "distilbert", "DistilBertForSequenceClassification", "dim", "n_layers", "n_heads",
       "hidden_dim", "activation", "dropout", "attention_dropout", "seq_classif_dropout",
       defaults_with(30522, 768, 6, 12, 3072, 0, 0, 1e-12f)},
      {Family::electra, "electra", "ElectraForSequenceClassification", "hidden_size", "num_hidden_layers",
       "num_attention_heads", "intermediate_size", "hidden_act", "hidden_dropout_prob",
       "attention_probs_dropout_prob", "classifier_dropout", defaults_with(30522, 256, 12, 4, 1024, 0, 2, 1e-12f, 128)},
  };
  return table;
}

const FamilyKeys& keys_of(model::Family family) {
  for (const FamilyKeys& k : families())
    if (k.family == family) return k;
  return families().front();
}

// The shortest decimal that reads back to the same float: 0.1f is "0.1", not
// 0.10000000149011612.
std::string decimal(float value) {
  char buffer[32];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  return std::string(buffer, end);
}
json shortest(float value) { return json(std::stod(decimal(value))); }

// Reads fields with HF's defaults (BertConfig.__init__) and names the field on error.
class FieldReader {
 public:
  FieldReader(const json& doc, const std::string& source) : doc_(doc), source_(source) {}

  [[noreturn]] void fail(const std::string& field, const std::string& problem) const {
    throw Error(source_ + ": field \"" + field + "\": " + problem);
  }
  bool has(const std::string& field) const { return doc_.contains(field) && !doc_[field].is_null(); }

  int positive_int(const std::string& field, int fallback) const {
    if (!doc_.contains(field)) return fallback;
    const json& v = doc_[field];
    if (!v.is_number_integer() || v.get<int64_t>() <= 0 || v.get<int64_t>() > (int64_t{1} << 30)) {
      fail(field, "must be a positive integer, got " + v.dump());
    }
    return v.get<int>();
  }
  float number(const std::string& field, float fallback, float low, float high) const {
    if (!doc_.contains(field)) return fallback;
    const json& v = doc_[field];
    if (!v.is_number() || !(v.get<double>() >= low && v.get<double>() <= high)) {
      fail(field, "must be a number in [" + decimal(low) + ", " + decimal(high) + "], got " + v.dump());
    }
    return v.get<float>();
  }
  std::string string(const std::string& field, const std::string& fallback) const {
    if (!has(field)) return fallback;
    if (!doc_[field].is_string()) fail(field, "must be a string, got " + doc_[field].dump());
    return doc_[field].get<std::string>();
  }
  bool boolean(const std::string& field) const {
    if (!has(field)) return false;
    if (!doc_[field].is_boolean()) fail(field, "must be true or false, got " + doc_[field].dump());
    return doc_[field].get<bool>();
  }

 private:
  const json& doc_;
  const std::string& source_;
};

// id2label with HF's rules: keys are decimal ids covering 0..n-1; without id2label,
// num_labels (default 2) labels named LABEL_i. When both are given and disagree HF keeps
// id2label (with a warning), and so do we.
std::vector<std::string> read_labels(const json& doc, const FieldReader& fields) {
  if (!fields.has("id2label")) {
    const int n = fields.positive_int("num_labels", 2);
    std::vector<std::string> labels;
    for (int i = 0; i < n; ++i) labels.push_back("LABEL_" + std::to_string(i));
    return labels;
  }
  const json& map = doc["id2label"];
  if (!map.is_object() || map.empty()) fields.fail("id2label", "must be a non-empty object");
  std::vector<std::string> labels(map.size());
  std::vector<bool> seen(map.size(), false);
  for (const auto& [key, value] : map.items()) {
    std::size_t id = 0;
    const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), id);
    if (ec != std::errc() || end != key.data() + key.size() || id >= labels.size() || seen[id]) {
      fields.fail("id2label", "keys must be the ids 0.." + std::to_string(labels.size() - 1) + ", got \"" + key + "\"");
    }
    if (!value.is_string()) fields.fail("id2label", "label " + key + " must be a string, got " + value.dump());
    labels[id] = value.get<std::string>();
    seen[id] = true;
  }
  return labels;
}


// Keeps the document's own spelling of a number when it already denotes `value`.
json preserved_float(const json& source, const std::string& field, float value) {
  if (source.contains(field) && source[field].is_number() && source[field].get<float>() == value) return source[field];
  return shortest(value);
}

}  // namespace

ModelConfig model_config_from_json(const json& doc, const std::string& source) {
  if (!doc.is_object()) throw Error(source + ": config must be a JSON object");
  const FieldReader fields(doc, source);
  ModelConfig result;
  result.source = doc;
  model::BertConfig& config = result.bert;

  const std::string model_type = fields.string("model_type", "bert");
  const FamilyKeys* keys = nullptr;
  std::string supported;
  for (const FamilyKeys& k : families()) {
    if (model_type == k.model_type) keys = &k;
    supported += (supported.empty() ? "" : ", ") + std::string(k.model_type);
  }
  if (keys == nullptr)
    fields.fail("model_type", "\"" + model_type + "\" is not a model bertcls runs (it runs " + supported + ")");
  config = keys->defaults;
  config.family = keys->family;
  const std::string position = fields.string("position_embedding_type", "absolute");
  if (position != "absolute") {
    fields.fail("position_embedding_type", "\"" + position + "\" is not supported (bertcls implements \"absolute\")");
  }
  if (fields.boolean("is_decoder")) fields.fail("is_decoder", "a decoder (causal) model is not a classifier bertcls supports");
  if (fields.boolean("add_cross_attention")) fields.fail("add_cross_attention", "cross-attention is not supported");
  config.sinusoidal_positions = config.family == model::Family::distilbert && fields.boolean("sinusoidal_pos_embds");

  config.vocab_size = fields.positive_int("vocab_size", config.vocab_size);
  config.hidden_size = fields.positive_int(keys->hidden_size, config.hidden_size);
  config.num_hidden_layers = fields.positive_int(keys->num_hidden_layers, config.num_hidden_layers);
  config.num_attention_heads = fields.positive_int(keys->num_attention_heads, config.num_attention_heads);
  config.intermediate_size = fields.positive_int(keys->intermediate_size, config.intermediate_size);
  config.max_position_embeddings = fields.positive_int("max_position_embeddings", 512);
  if (config.family != model::Family::distilbert)
    config.type_vocab_size = fields.positive_int("type_vocab_size", config.type_vocab_size);
  if (config.family == model::Family::electra)
    config.embedding_size = fields.positive_int("embedding_size", config.embedding_size);
  if (config.hidden_size % config.num_attention_heads != 0) {
    fields.fail(keys->num_attention_heads, std::to_string(config.num_attention_heads) + " does not divide " +
                                               keys->hidden_size + " " + std::to_string(config.hidden_size));
  }

  const std::string act = fields.string(keys->hidden_act, "gelu");
  const auto found = activations_by_name().find(act);
  if (found == activations_by_name().end()) {
    fields.fail(keys->hidden_act, "\"" + act + "\" is not supported (bertcls computes gelu, gelu_python, gelu_new, "
                                  "gelu_pytorch_tanh, gelu_fast, relu, silu, swish, tanh)");
  }
  config.hidden_act = found->second;

  // DistilBERT's LayerNorms are always nn.LayerNorm(dim, eps=1e-12).
  if (config.family != model::Family::distilbert)
    config.layer_norm_eps = fields.number("layer_norm_eps", config.layer_norm_eps, 0.0f, 1.0f);
  if (!(config.layer_norm_eps > 0.0f)) fields.fail("layer_norm_eps", "must be positive");
  config.hidden_dropout_prob = fields.number(keys->hidden_dropout, 0.1f, 0.0f, 1.0f);
  config.attention_probs_dropout_prob = fields.number(keys->attention_dropout, 0.1f, 0.0f, 1.0f);
  // The heads: classifier_dropout None means hidden_dropout_prob; DistilBERT's
  // seq_classif_dropout defaults to 0.2.
  const float classifier_default = config.family == model::Family::distilbert ? 0.2f : config.hidden_dropout_prob;
  config.classifier_dropout = fields.has(keys->classifier_dropout)
                                  ? fields.number(keys->classifier_dropout, 0.0f, 0.0f, 1.0f)
                                  : classifier_default;

  if (fields.has("pad_token_id")) {
    const json& pad = doc["pad_token_id"];
    if (!pad.is_number_integer() || pad.get<int64_t>() < 0 || pad.get<int64_t>() >= config.vocab_size) {
      fields.fail("pad_token_id", "must be a token id below vocab_size " + std::to_string(config.vocab_size) +
                                      ", got " + pad.dump());
    }
    config.pad_token_id = pad.get<int>();
  } else if (doc.contains("pad_token_id")) {
    config.pad_token_id = -1;  // explicit null: no padding row
  }
  if (config.family == model::Family::roberta || config.family == model::Family::xlm_roberta) {
    // create_position_ids_from_input_ids: a sequence's positions start after padding_idx.
    if (config.pad_token_id < 0) fields.fail("pad_token_id", "RoBERTa counts positions from it; it cannot be null");
    config.position_offset = config.pad_token_id + 1;
    if (config.max_position_embeddings <= config.position_offset)
      fields.fail("max_position_embeddings", "leaves no position after padding_idx " + std::to_string(config.pad_token_id));
  }

  config.initializer_range = fields.number("initializer_range", 0.02f, 0.0f, 10.0f);
  result.set_labels(read_labels(doc, fields));
  if (fields.has("problem_type")) {
    const std::string type = fields.string("problem_type", "");
    if (type == "single_label_classification") {
      config.problem_type = ProblemType::single_label_classification;
    } else if (type == "multi_label_classification") {
      config.problem_type = ProblemType::multi_label_classification;
    } else if (type == "regression") {
      config.problem_type = ProblemType::regression;
    } else {
      fields.fail("problem_type", "\"" + type + "\" is not one of regression, single_label_classification, "
                                  "multi_label_classification");
    }
  }
  return result;
}

const char* architecture_name(model::Family family, model::Head head) {
  // BertWeights refuses the masked-LM head for the other families.
  if (head == model::Head::masked_lm) return "BertForMaskedLM";
  return keys_of(family).architecture;
}

ModelConfig read_model_config(const std::filesystem::path& config_json) {
  return model_config_from_json(read_json_strict(config_json), config_json.string());
}

json model_config_to_json(const ModelConfig& model_config) {
  const model::BertConfig& config = model_config.bert;
  const json& source = model_config.source.is_object() ? model_config.source : json::object();
  json doc = source;
  const FamilyKeys& keys = keys_of(config.family);
  doc["architectures"] = {architecture_name(config.family, config.head)};
  doc["model_type"] = keys.model_type;
  doc["vocab_size"] = config.vocab_size;
  doc[keys.hidden_size] = config.hidden_size;
  doc[keys.num_hidden_layers] = config.num_hidden_layers;
  doc[keys.num_attention_heads] = config.num_attention_heads;
  doc[keys.intermediate_size] = config.intermediate_size;
  doc["max_position_embeddings"] = config.max_position_embeddings;
  if (config.family == model::Family::distilbert) {
    doc["sinusoidal_pos_embds"] = config.sinusoidal_positions;
  } else {
    doc["type_vocab_size"] = config.type_vocab_size;
    doc["position_embedding_type"] = "absolute";
    doc["layer_norm_eps"] = preserved_float(source, "layer_norm_eps", config.layer_norm_eps);
  }
  if (config.family == model::Family::electra) doc["embedding_size"] = config.embedding_width();
  doc["initializer_range"] = preserved_float(source, "initializer_range", config.initializer_range);
  doc[keys.hidden_dropout] = preserved_float(source, keys.hidden_dropout, config.hidden_dropout_prob);
  doc[keys.attention_dropout] = preserved_float(source, keys.attention_dropout, config.attention_probs_dropout_prob);
  const bool classifier_dropout_was_null =
      !source.contains(keys.classifier_dropout) || source[keys.classifier_dropout].is_null();
  if (config.family != model::Family::distilbert && classifier_dropout_was_null &&
      config.classifier_dropout == config.hidden_dropout_prob) {
    doc[keys.classifier_dropout] = nullptr;
  } else {
    doc[keys.classifier_dropout] = preserved_float(source, keys.classifier_dropout, config.classifier_dropout);
  }
  // Keep the source's spelling (gelu_pytorch_tanh vs gelu_new) when it means the same op.
  const auto named = source.contains(keys.hidden_act) && source[keys.hidden_act].is_string()
                         ? activations_by_name().find(source[keys.hidden_act].get<std::string>())
                         : activations_by_name().end();
  doc[keys.hidden_act] = named != activations_by_name().end() && named->second == config.hidden_act
                             ? named->first
                             : std::string(activation_name(config.hidden_act));
  doc["pad_token_id"] = config.pad_token_id >= 0 ? json(config.pad_token_id) : json(nullptr);
  doc["torch_dtype"] = "float32";  // bertcls saves F32 weights

  json id2label = json::object();
  json label2id = json::object();
  for (std::size_t i = 0; i < model_config.id2label.size(); ++i) {
    id2label[std::to_string(i)] = model_config.id2label[i];
    label2id[model_config.id2label[i]] = static_cast<int>(i);
  }
  doc["id2label"] = id2label;
  doc["label2id"] = label2id;
  doc.erase("num_labels");
  if (config.problem_type) {
    doc["problem_type"] = problem_type_name(*config.problem_type);
  } else {
    doc.erase("problem_type");
  }
  return doc;
}

void write_model_config(const std::filesystem::path& file, const ModelConfig& config) {
  const std::string text = model_config_to_json(config).dump(2) + "\n";
  write_file_atomically(file, [&](std::ostream& out) { out << text; });
}

}  // namespace bertcls::hf
