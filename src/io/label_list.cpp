#include "io/label_list.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "common/trim.h"

namespace bertcls::io {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Reads one item of a list; `at` moves past it. Messages count characters, not bytes, so
// they point at the right place in a list of Cyrillic or CJK labels.
class ItemReader {
 public:
  explicit ItemReader(std::string_view list) : s_(list) {}

  std::string character(std::size_t pos) const {
    std::size_t n = 1;
    for (std::size_t i = 0; i < pos; ++i) n += (static_cast<unsigned char>(s_[i]) & 0xC0) != 0x80;
    return "character " + std::to_string(n);
  }

  std::string read(std::size_t& at, std::string& item) const {
    const std::size_t start = at;
    std::string problem = s_[at] == '"' ? double_quoted(at, item) : s_[at] == '\'' ? single_quoted(at, item) : bare(at, item);
    if (problem.empty() && item.empty()) problem = "an empty label at " + character(start);
    return problem;
  }

 private:
  // JSON's string syntax, escapes included.
  std::string double_quoted(std::size_t& at, std::string& item) const {
    std::size_t end = at + 1;
    while (end < s_.size() && s_[end] != '"') end += s_[end] == '\\' ? 2 : 1;
    if (end >= s_.size()) return "the quote at " + character(at) + " is never closed";
    try {
      item = trim(nlohmann::json::parse(s_.substr(at, end + 1 - at)).get<std::string>());
    } catch (const nlohmann::json::exception&) {
      return "the string at " + character(at) + " is not a valid JSON string";
    }
    at = end + 1;
    return {};
  }

  // Python's repr of a str: only quotes and backslashes are escaped in label-like text.
  std::string single_quoted(std::size_t& at, std::string& item) const {
    std::string value;
    std::size_t i = at + 1;
    for (; i < s_.size() && s_[i] != '\''; ++i) {
      if (s_[i] != '\\') {
        value += s_[i];
        continue;
      }
      if (i + 1 >= s_.size()) {
        i = s_.size();
        break;
      }
      const char next = s_[++i];
      if (next != '\\' && next != '\'' && next != '"')
        return std::string("the escape \\") + next + " at " + character(i - 1) + " is not supported (only \\\\, \\' and \\\")";
      value += next;
    }
    if (i >= s_.size()) return "the quote at " + character(at) + " is never closed";
    item = trim(value);
    at = i + 1;
    return {};
  }

  // An integer, written as JSON and NumPy write them.
  std::string bare(std::size_t& at, std::string& item) const {
    std::size_t end = at;
    while (end < s_.size() && !is_space(s_[end]) && s_[end] != ',' && s_[end] != ']') ++end;
    const std::string_view token = s_.substr(at, end - at);
    long long value = 0;
    const auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
    if (token.empty()) return "a ',' with no item before it at " + character(at);
    if (ec != std::errc() || ptr != token.data() + token.size())
      return "item " + std::string(token) + " at " + character(at) + " is neither an integer nor a quoted string";
    item = std::to_string(value);
    at = end;
    return {};
  }

  std::string_view s_;
};

}  // namespace

std::string parse_label_list(std::string_view list, std::vector<std::string>& names) {
  const ItemReader reader(list);
  const std::string unclosed = "the '[' is never closed";
  std::size_t at = 1;
  auto skip_spaces = [&] {
    while (at < list.size() && is_space(list[at])) ++at;
  };
  skip_spaces();
  if (at < list.size() && list[at] == ']') {
    ++at;
  } else {
    for (;;) {
      if (at == list.size()) return unclosed;
      std::string item;
      if (std::string problem = reader.read(at, item); !problem.empty()) return problem;
      names.push_back(std::move(item));
      const std::size_t separator = at;
      skip_spaces();
      const bool comma = at < list.size() && list[at] == ',';
      if (comma) {
        ++at;
        skip_spaces();
      }
      if (at == list.size()) return unclosed;
      if (list[at] == ']') {
        if (comma) return "no item after the ',' before " + reader.character(at);
        ++at;
        break;
      }
      if (at == separator)
        return "expected ',', a space or ']' at " + reader.character(at) + ", found " + std::string(1, list[at]);
    }
  }
  skip_spaces();
  if (at < list.size()) return "text after the closing ']' at " + reader.character(at);
  return {};
}

}  // namespace bertcls::io
