#include "serve/predict_request.h"

#include "pipeline/classifier_model.h"
#include "serve/request_json.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <numeric>

namespace bertcls::serve {
namespace {

using nlohmann::json;

std::optional<int> top_k_of(const json& doc) {
  if (!doc.contains("top_k") || doc["top_k"].is_null()) return std::nullopt;
  if (!doc["top_k"].is_number_integer() || doc["top_k"].get<long long>() < 1)
    invalid("\"top_k\" must be a positive integer");
  return static_cast<int>(std::min<long long>(doc["top_k"].get<long long>(), 1 << 20));
}

}  // namespace

PredictRequest parse_predict_request(std::string_view body, int max_inputs) {
  const json doc = parse_object(body, {"inputs", "text_pair", "top_k", "truncate", "raw_scores", "truncation_direction"});

  PredictRequest r;
  std::vector<std::string> texts = inputs_of(doc, max_inputs);
  r.batched = doc["inputs"].is_array();
  std::vector<std::string> pairs;
  if (doc.contains("text_pair") && !doc["text_pair"].is_null()) {
    pairs = strings_of(doc["text_pair"], "text_pair");
    if (pairs.size() != texts.size() || doc["text_pair"].is_array() != r.batched)
      invalid("\"text_pair\" must match \"inputs\": a string for a string, a list of the same length for a list");
  }
  for (size_t i = 0; i < texts.size(); ++i) {
    r.inputs.push_back({std::move(texts[i]), pairs.empty() ? std::nullopt : std::optional<std::string>(pairs[i])});
  }
  r.top_k = top_k_of(doc);
  r.truncate = bool_field(doc, "truncate", false);
  r.raw_scores = bool_field(doc, "raw_scores", false);
  if (doc.contains("truncation_direction") && doc["truncation_direction"] != "Right")
    invalid("\"truncation_direction\": only \"Right\" is supported");
  return r;
}

PredictRequest parse_pipeline_request(std::string_view body, int max_inputs) {
  const json doc = parse_object(body, {"inputs", "parameters"});
  PredictRequest r;
  r.pipeline_shape = true;
  r.batched = true;
  for (std::string& text : inputs_of(doc, max_inputs)) r.inputs.push_back({std::move(text), std::nullopt});
  if (!doc.contains("parameters") || doc["parameters"].is_null()) return r;
  const json& parameters = doc["parameters"];
  if (!parameters.is_object()) invalid("\"parameters\" must be an object");
  check_fields(parameters, {"top_k", "function_to_apply", "truncation"}, "parameter");
  r.top_k = top_k_of(parameters);
  if (parameters.contains("function_to_apply") && !parameters["function_to_apply"].is_null()) {
    const json& f = parameters["function_to_apply"];
    if (f == "softmax") r.function = ScoreFunction::Softmax;
    else if (f == "sigmoid") r.function = ScoreFunction::Sigmoid;
    else if (f == "none") r.function = ScoreFunction::Identity;
    else invalid("\"function_to_apply\" must be \"softmax\", \"sigmoid\" or \"none\", got " + f.dump());
  }
  r.truncate = bool_field(parameters, "truncation", false);
  return r;
}

std::string predict_response(const PredictRequest& request, const std::vector<Prediction>& predictions,
                             const std::vector<std::string>& labels) {
  json all = json::array();
  for (const auto& p : predictions) {
    const std::vector<float> values = request.function ? pipeline::scores_of(*request.function, p.logits)
                                      : request.raw_scores ? p.logits
                                                           : p.scores;
    json one = json::array();
    for (int k : pipeline::top_labels(values, request.top_k.value_or(static_cast<int>(values.size()))))
      one.push_back({{"label", labels[k]}, {"score", values[k]}});
    all.push_back(std::move(one));
  }
  return (request.batched || request.pipeline_shape ? all : all[0]).dump();
}

}  // namespace bertcls::serve
