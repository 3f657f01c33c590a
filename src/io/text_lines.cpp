#include "io/text_lines.h"

#include <cerrno>
#include <cstring>
#include <iostream>

#include <bertcls/error.h>
#include "io/utf8_check.h"

namespace bertcls::io {

TextLineReader::TextLineReader(const std::string& path_or_dash, InvalidUtf8Policy policy)
    : in_(&std::cin), name_("stdin"), policy_(policy) {
  if (path_or_dash == "-") return;
  file_.open(path_or_dash, std::ios::binary);
  if (!file_) throw Error(path_or_dash + ": cannot open: " + std::strerror(errno));
  in_ = &file_;
  name_ = path_or_dash;
}

std::optional<TextLine> TextLineReader::next() {
  std::string line;
  if (!std::getline(*in_, line)) return std::nullopt;
  ++number_;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  try {
    return TextLine{valid_utf8(line, policy_), number_};
  } catch (const Error& e) {
    rethrow_with_context(name_ + ": line " + std::to_string(number_), e);
  }
}

std::vector<TextLine> read_text_lines(const std::string& path_or_dash, InvalidUtf8Policy policy) {
  TextLineReader reader(path_or_dash, policy);
  std::vector<TextLine> lines;
  while (std::optional<TextLine> line = reader.next()) lines.push_back(std::move(*line));
  return lines;
}

}  // namespace bertcls::io
