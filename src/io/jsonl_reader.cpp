#include "io/jsonl_reader.h"

#include <bertcls/error.h>
#include "io/utf8_check.h"

namespace bertcls::io {

std::vector<JsonlRecord> split_jsonl(std::string_view content, const std::string& source) {
  if (content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);
  const std::size_t first = content.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && content[first] == '[')
    throw Error(source + ": a JSON array; bertcls reads JSON Lines (one object per line)");
  std::vector<JsonlRecord> records;
  std::size_t line = 0, pos = 0;
  while (pos < content.size()) {
    ++line;
    std::size_t end = content.find('\n', pos);
    if (end == std::string_view::npos) end = content.size();
    std::string_view text = content.substr(pos, end - pos);
    pos = end + 1;
    if (text.ends_with('\r')) text.remove_suffix(1);
    if (text.find_first_not_of(" \t") == std::string_view::npos) continue;
    JsonlRecord record;
    record.line = line;
    if (const std::size_t bad = invalid_utf8_offset(text); bad != std::string_view::npos) {
      record.problem = "invalid UTF-8 at " + describe_utf8_error(text, bad, line);
    } else {
      try {
        record.object = nlohmann::json::parse(text);
        if (!record.object.is_object())
          record.problem = std::string("expected a JSON object, found ") + record.object.type_name();
      } catch (const nlohmann::json::parse_error& e) {
        // nlohmann says "... parse error at line 1, column 9: syntax error ..."; the line is ours.
        const std::string what = e.what();
        const std::size_t at = what.find("column ");
        record.problem = "invalid JSON at " + (at == std::string::npos ? what : what.substr(at));
      }
    }
    records.push_back(std::move(record));
  }
  return records;
}

TextPairLine parse_text_pair_line(std::string_view line, const std::string& where) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(line);
  } catch (const nlohmann::json::exception& e) {
    throw Error(where + ": not a JSON object: " + e.what());
  }
  auto field = [&](const char* key) -> std::optional<std::string> {
    auto it = j.is_object() ? j.find(key) : j.end();
    if (it == j.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) throw Error(where + ": field \"" + key + "\" is not a string");
    return it->get<std::string>();
  };
  std::optional<std::string> text = field("text");
  if (!text) throw Error(where + ": field \"text\" is missing");
  return {std::move(*text), field("text_pair")};
}

}  // namespace bertcls::io
