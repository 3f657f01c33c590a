#include "io/strict_json.h"

#include <fstream>
#include <set>
#include <sstream>
#include <vector>

#include <bertcls/error.h>

namespace bertcls::io {

nlohmann::json parse_json_strict(std::string_view text, const std::string& source) {
  using nlohmann::json;
  // One set of seen keys per open object; the callback sees keys before their values.
  std::vector<std::set<std::string>> seen;
  std::string duplicate;
  const json::parser_callback_t check = [&](int, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
        seen.emplace_back();
        break;
      case json::parse_event_t::object_end:
        if (!seen.empty()) seen.pop_back();
        break;
      case json::parse_event_t::key:
        if (!seen.empty() && !seen.back().insert(parsed.get<std::string>()).second && duplicate.empty()) {
          duplicate = parsed.get<std::string>();
        }
        break;
      default:
        break;
    }
    return true;
  };
  json result;
  try {
    result = json::parse(text.begin(), text.end(), check);
  } catch (const json::exception& e) {
    throw Error(source + ": invalid JSON: " + e.what());
  }
  if (!duplicate.empty()) throw Error(source + ": invalid JSON: duplicate key \"" + duplicate + "\"");
  return result;
}

nlohmann::json read_json_strict(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(file.string() + ": cannot open");
  std::stringstream text;
  text << in.rdbuf();
  return parse_json_strict(text.str(), file.string());
}

}  // namespace bertcls::io
