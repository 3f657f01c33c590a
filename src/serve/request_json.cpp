#include "serve/request_json.h"

namespace bertcls::serve {

using nlohmann::json;

std::string error_body(const std::string& message, const std::string& type) {
  // dump() with replacement: a message quoting bad input must not make the answer invalid.
  return json{{"error", message}, {"error_type", type}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

void invalid(const std::string& message) { throw RequestError(422, "validation", message); }

void check_fields(const json& object, std::initializer_list<std::string_view> known, const char* what) {
  for (const auto& [key, value] : object.items()) {
    bool found = false;
    std::string names;
    for (std::string_view k : known) {
      found = found || k == key;
      names += (names.empty() ? "" : ", ") + std::string(k);
    }
    if (!found) invalid(std::string("unknown ") + what + " \"" + key + "\" (known: " + names + ")");
  }
}

json parse_object(std::string_view body, std::initializer_list<std::string_view> known) {
  json doc;
  try {
    doc = json::parse(body);
  } catch (const json::parse_error& e) {
    throw RequestError(400, "invalid_json", std::string("the body is not valid JSON: ") + e.what());
  }
  if (!doc.is_object()) invalid(std::string("the body must be a JSON object, got ") + doc.type_name());
  check_fields(doc, known, "field");
  return doc;
}

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

bool bool_field(const json& doc, const char* field, bool otherwise) {
  if (!doc.contains(field) || doc[field].is_null()) return otherwise;
  if (!doc[field].is_boolean()) invalid(std::string("\"") + field + "\" must be true or false");
  return doc[field].get<bool>();
}

}  // namespace bertcls::serve
