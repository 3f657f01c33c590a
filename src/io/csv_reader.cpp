#include "io/csv_reader.h"

#include <bertcls/error.h>

namespace bertcls::io {

namespace {

// Column of a byte in its physical line, counted in characters (UTF-8 lead bytes), 1-based.
std::size_t column_of(std::string_view content, std::size_t pos) {
  std::size_t start = 0;
  if (pos > 0) {
    const std::size_t brk = content.find_last_of("\r\n", pos - 1);
    if (brk != std::string_view::npos) start = brk + 1;
  }
  std::size_t col = 1;
  for (std::size_t i = start; i < pos; ++i) col += (static_cast<unsigned char>(content[i]) & 0xC0) != 0x80;
  return col;
}

}  // namespace

std::vector<CsvRecord> split_delimited(std::string_view content, char delimiter, const std::string& source) {
  if (content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);
  std::vector<CsvRecord> records;
  std::size_t i = 0, line = 1;
  const std::size_t n = content.size();

  // Consumes a line break at i (LF, CRLF or CR) if there is one.
  auto take_break = [&]() {
    if (i < n && content[i] == '\r') {
      ++i;
      if (i < n && content[i] == '\n') ++i;
      ++line;
      return true;
    }
    if (i < n && content[i] == '\n') {
      ++i;
      ++line;
      return true;
    }
    return false;
  };

  while (i < n) {
    if (take_break()) continue;  // an empty line
    CsvRecord record;
    record.line = line;
    while (true) {
      std::string field;
      record.field_lines.push_back(line);
      if (i < n && content[i] == '"') {
        const std::size_t open_line = line, open_pos = i;
        ++i;
        while (true) {
          if (i >= n)
            throw Error(source + ":" + std::to_string(open_line) + ": the quoted field opened at column " +
                        std::to_string(column_of(content, open_pos)) + " never closes");
          const char c = content[i];
          if (c == '"') {
            if (i + 1 < n && content[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          // Line breaks inside quotes are kept verbatim but still count as lines.
          if (c == '\n' || (c == '\r' && !(i + 1 < n && content[i + 1] == '\n'))) ++line;
          field += c;
          ++i;
        }
        // After the closing quote only a delimiter or the end of the record may follow.
        if (i < n && content[i] != delimiter && content[i] != '\n' && content[i] != '\r' && record.problem.empty())
          record.problem = "column " + std::to_string(column_of(content, i)) +
                           ": text after the closing quote of a quoted field (a quote inside a quoted field "
                           "is written \"\")";
      }
      // Unquoted text, or what follows a malformed quoted field, up to the delimiter.
      while (i < n && content[i] != delimiter && content[i] != '\n' && content[i] != '\r') field += content[i++];
      record.fields.push_back(std::move(field));
      if (i < n && content[i] == delimiter) {
        ++i;
        continue;
      }
      take_break();
      break;
    }
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace bertcls::io
