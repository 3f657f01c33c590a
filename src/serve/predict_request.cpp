#include "serve/predict_request.h"

#include "pipeline/classifier_model.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <numeric>

namespace bertcls::serve {
namespace {

using nlohmann::json;

[[noreturn]] void invalid(const std::string& message) { throw RequestError(422, "validation", message); }

std::vector<std::string> strings_of(const json& value, const char* field) {
  std::vector<std::string> out;
  if (value.is_string()) {
    out.push_back(value.get<std::string>());
  } else if (value.is_array()) {
    for (size_t i = 0; i < value.size(); ++i) {
      if (!value[i].is_string())
        invalid(std::string("\"") + field + "\"[" + std::to_string(i) + "] must be a string, got " + value[i].type_name());
      out.push_back(value[i].get<std::string>());
    }
  } else {
    invalid(std::string("\"") + field + "\" must be a string or a list of strings, got " + value.type_name());
  }
  return out;
}

json parse_object(std::string_view body) {
  json doc;
  try {
    doc = json::parse(body);
  } catch (const json::parse_error& e) {
    throw RequestError(400, "invalid_json", std::string("the body is not valid JSON: ") + e.what());
  }
  if (!doc.is_object()) invalid(std::string("the body must be a JSON object, got ") + doc.type_name());
  return doc;
}

// "inputs": one text or a non-empty list of non-empty texts, at most max_inputs.
std::vector<std::string> inputs_of(const json& doc, int max_inputs) {
  if (!doc.contains("inputs")) invalid("missing field \"inputs\"");
  std::vector<std::string> texts = strings_of(doc["inputs"], "inputs");
  if (texts.empty()) invalid("\"inputs\" is an empty list");
  if (static_cast<int>(texts.size()) > max_inputs)
    throw RequestError(413, "validation",
                       std::to_string(texts.size()) + " inputs, more than the maximum of " + std::to_string(max_inputs));
  for (size_t i = 0; i < texts.size(); ++i)
    if (texts[i].empty()) invalid("input " + std::to_string(i) + " is an empty text");
  return texts;
}

std::optional<int> top_k_of(const json& doc) {
  if (!doc.contains("top_k") || doc["top_k"].is_null()) return std::nullopt;
  if (!doc["top_k"].is_number_integer() || doc["top_k"].get<long long>() < 1)
    invalid("\"top_k\" must be a positive integer");
  return static_cast<int>(std::min<long long>(doc["top_k"].get<long long>(), 1 << 20));
}

}  // namespace

PredictRequest parse_predict_request(std::string_view body, int max_inputs) {
  const json doc = parse_object(body);
  for (const auto& [key, value] : doc.items())
    if (key != "inputs" && key != "text_pair" && key != "top_k" && key != "truncate" && key != "raw_scores" &&
        key != "truncation_direction")
      invalid("unknown field \"" + key + "\" (known: inputs, text_pair, top_k, truncate, raw_scores)");

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
  for (auto [field, target] : {std::pair{"truncate", &r.truncate}, std::pair{"raw_scores", &r.raw_scores}}) {
    if (!doc.contains(field) || doc[field].is_null()) continue;
    if (!doc[field].is_boolean()) invalid(std::string("\"") + field + "\" must be true or false");
    *target = doc[field].get<bool>();
  }
  if (doc.contains("truncation_direction") && doc["truncation_direction"] != "Right")
    invalid("\"truncation_direction\": only \"Right\" is supported");
  return r;
}

PredictRequest parse_pipeline_request(std::string_view body, int max_inputs) {
  const json doc = parse_object(body);
  for (const auto& [key, value] : doc.items())
    if (key != "inputs" && key != "parameters") invalid("unknown field \"" + key + "\" (known: inputs, parameters)");
  PredictRequest r;
  r.pipeline_shape = true;
  r.batched = true;
  for (std::string& text : inputs_of(doc, max_inputs)) r.inputs.push_back({std::move(text), std::nullopt});
  if (!doc.contains("parameters") || doc["parameters"].is_null()) return r;
  const json& parameters = doc["parameters"];
  if (!parameters.is_object()) invalid("\"parameters\" must be an object");
  for (const auto& [key, value] : parameters.items())
    if (key != "top_k" && key != "function_to_apply" && key != "truncation")
      invalid("unknown parameter \"" + key + "\" (known: top_k, function_to_apply, truncation)");
  r.top_k = top_k_of(parameters);
  if (parameters.contains("function_to_apply") && !parameters["function_to_apply"].is_null()) {
    const json& f = parameters["function_to_apply"];
    if (f == "softmax") r.function = ScoreFunction::Softmax;
    else if (f == "sigmoid") r.function = ScoreFunction::Sigmoid;
    else if (f == "none") r.function = ScoreFunction::Identity;
    else invalid("\"function_to_apply\" must be \"softmax\", \"sigmoid\" or \"none\", got " + f.dump());
  }
  if (parameters.contains("truncation") && !parameters["truncation"].is_null()) {
    if (!parameters["truncation"].is_boolean()) invalid("\"truncation\" must be true or false");
    r.truncate = parameters["truncation"].get<bool>();
  }
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

std::string error_body(const std::string& message, const std::string& type) {
  // dump() with replacement: a message quoting bad input must not make the answer invalid.
  return json{{"error", message}, {"error_type", type}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace bertcls::serve
