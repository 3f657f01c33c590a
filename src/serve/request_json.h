// Reading request bodies, and the error every route answers a bad one with: a 4xx whose
// body names the field and what was wrong with it.
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace bertcls::serve {

// A client error: HTTP status, a stable machine-readable type, and a sentence.
class RequestError : public std::runtime_error {
 public:
  RequestError(int status, std::string type, const std::string& message)
      : std::runtime_error(message), status(status), type(std::move(type)) {}
  int status;
  std::string type;
};

// {"error": message, "error_type": type}
std::string error_body(const std::string& message, const std::string& type);

// 422 "validation" with `message`.
[[noreturn]] void invalid(const std::string& message);

// 422 naming the first key of `object` outside `known` ("unknown <what> ...").
void check_fields(const nlohmann::json& object, std::initializer_list<std::string_view> known, const char* what);

// The body as a JSON object: 400 when it is not JSON (invalid UTF-8 included), 422 when
// it is not an object or has a field outside `known`.
nlohmann::json parse_object(std::string_view body, std::initializer_list<std::string_view> known);

// `value` as texts: one string or a list of strings (422 naming `field` otherwise).
std::vector<std::string> strings_of(const nlohmann::json& value, const char* field);

// "inputs": one text or a non-empty list of non-empty texts; 413 beyond max_inputs.
std::vector<std::string> inputs_of(const nlohmann::json& doc, int max_inputs);

// doc[field] when present and not null; 422 when it is not a boolean.
bool bool_field(const nlohmann::json& doc, const char* field, bool otherwise);

}  // namespace bertcls::serve
