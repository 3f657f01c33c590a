// JSON Lines: one JSON object per line (blank lines skipped, CRLF and a leading UTF-8
// byte-order mark accepted). A whole-file JSON array is refused with a message saying
// so, since its rows would have no line numbers to report.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bertcls::io {

struct JsonlRecord {
  std::size_t line = 0;    // physical line, 1-based
  nlohmann::json object;   // a JSON object when problem is empty
  std::string problem;     // non-empty: invalid UTF-8, invalid JSON or not an object
};

std::vector<JsonlRecord> split_jsonl(std::string_view content, const std::string& source);

// A line {"text": ..., "text_pair": ...} (text_pair optional or null). Throws Error
// prefixed with `where` for invalid JSON, a missing text or a field that is not a string.
struct TextPairLine {
  std::string text;
  std::optional<std::string> pair;
};
TextPairLine parse_text_pair_line(std::string_view line, const std::string& where);

}  // namespace bertcls::io
