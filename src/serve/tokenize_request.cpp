#include "serve/tokenize_request.h"

namespace bertcls::serve {
namespace {

using nlohmann::json;

// The byte where each code point of `s` starts, and s.size() after the last: the
// tokenizer counts offsets in code points, TEI answers in bytes.
std::vector<size_t> code_point_starts(std::string_view s) {
  std::vector<size_t> starts;
  for (size_t i = 0; i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) starts.push_back(i);
  starts.push_back(s.size());
  return starts;
}

std::vector<int32_t> ids_of(const json& list, const std::string& where) {
  if (!list.is_array()) invalid(where + " must be a list of token ids, got " + list.type_name());
  std::vector<int32_t> ids;
  for (size_t i = 0; i < list.size(); ++i) {
    if (!list[i].is_number_integer() || list[i].get<long long>() < 0 || list[i].get<long long>() > INT32_MAX)
      invalid(where + "[" + std::to_string(i) + "] must be a token id (a non-negative integer), got " + list[i].dump());
    ids.push_back(list[i].get<int32_t>());
  }
  return ids;
}

}  // namespace

TokenizeRequest parse_tokenize_request(std::string_view body, int max_inputs) {
  const json doc = parse_object(body, {"inputs", "add_special_tokens"});
  return {inputs_of(doc, max_inputs), bool_field(doc, "add_special_tokens", true)};
}

DecodeRequest parse_decode_request(std::string_view body, int max_inputs) {
  const json doc = parse_object(body, {"ids", "skip_special_tokens"});
  if (!doc.contains("ids")) invalid("missing field \"ids\"");
  const json& ids = doc["ids"];
  DecodeRequest r;
  r.skip_special_tokens = bool_field(doc, "skip_special_tokens", true);
  if (!ids.is_array() || ids.empty()) invalid("\"ids\" must be a non-empty list of token ids, or of lists of them");
  if (!ids[0].is_array()) {
    r.ids.push_back(ids_of(ids, "\"ids\""));
    return r;
  }
  if (static_cast<int>(ids.size()) > max_inputs)
    throw RequestError(413, "validation",
                       std::to_string(ids.size()) + " inputs, more than the maximum of " + std::to_string(max_inputs));
  for (size_t i = 0; i < ids.size(); ++i) r.ids.push_back(ids_of(ids[i], "\"ids\"[" + std::to_string(i) + "]"));
  return r;
}

std::string tokenize_response(const text::Tokenizer& tokenizer, const TokenizeRequest& request) {
  json all = json::array();
  for (const std::string& input : request.inputs) {
    const text::Encoding e = tokenizer.encode(input, request.add_special_tokens);
    const std::vector<size_t> starts = code_point_starts(input);
    json tokens = json::array();
    for (size_t t = 0; t < e.size(); ++t) {
      if (e.special_tokens_mask[t]) {
        tokens.push_back({{"id", e.ids[t]}, {"text", e.tokens[t]}, {"special", true}, {"start", nullptr}, {"stop", nullptr}});
        continue;
      }
      const size_t start = starts[static_cast<size_t>(e.offsets[t].first)];
      const size_t stop = starts[static_cast<size_t>(e.offsets[t].second)];
      tokens.push_back({{"id", e.ids[t]},
                        {"text", input.substr(start, stop - start)},
                        {"special", false},
                        {"start", start},
                        {"stop", stop}});
    }
    all.push_back(std::move(tokens));
  }
  return all.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string decode_response(const text::Tokenizer& tokenizer, const DecodeRequest& request) {
  json texts = json::array();
  for (const auto& ids : request.ids) texts.push_back(tokenizer.decode(ids, request.skip_special_tokens));
  return texts.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace bertcls::serve
