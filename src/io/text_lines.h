// Texts one per line, from a file or from stdin ("-"): the plain-text input of `bertcls
// tokenize` and `bertcls predict`. Lines end with LF or CRLF (files saved on Windows);
// an empty line is an empty text, and a last line without a line break still counts.
#pragma once

#include <cstddef>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "common/utf8.h"

namespace bertcls::io {

struct TextLine {
  std::string text;     // valid UTF-8, without its line break
  std::size_t number;   // 1-based line number in the input
};

// Reads one line at a time, so a command fed through a pipe answers each line as it
// comes. Invalid UTF-8 is an Error "FILE: line N: invalid UTF-8 at byte K" (stdin is
// named "stdin"), or with kReplace becomes U+FFFD per maximal invalid subsequence.
class TextLineReader {
 public:
  // Throws Error "FILE: cannot open: REASON".
  TextLineReader(const std::string& path_or_dash, InvalidUtf8Policy policy);

  std::optional<TextLine> next();          // nullopt at the end of the input
  const std::string& name() const { return name_; }  // "stdin" or the path

 private:
  std::ifstream file_;
  std::istream* in_;
  std::string name_;
  InvalidUtf8Policy policy_;
  std::size_t number_ = 0;
};

// Every line at once (see TextLineReader).
std::vector<TextLine> read_text_lines(const std::string& path_or_dash, InvalidUtf8Policy policy);

}  // namespace bertcls::io
