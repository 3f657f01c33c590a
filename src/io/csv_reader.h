// Delimited text (CSV and TSV) split into records, RFC 4180 style, as Python's csv module
// and pandas read them:
//  - a field that starts with '"' is quoted: it runs to the matching '"', may hold the
//    delimiter, newlines and doubled quotes ("" reads as ");
//  - a '"' inside an unquoted field is an ordinary character (tweets quote people);
//  - records end at LF, CRLF or a lone CR outside quotes; line breaks inside quotes are
//    kept as written;
//  - a UTF-8 byte-order mark at the start is dropped; empty lines are skipped.
// TSV uses the same rules with a tab: files written by pandas' to_csv(sep="\t") quote
// fields that contain tabs or newlines, and plain tab-separated files without such fields
// read the same either way.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace bertcls::io {

struct CsvRecord {
  std::size_t line = 0;             // physical line (1-based) where the record starts
  std::vector<std::string> fields;
  std::vector<std::size_t> field_lines;  // physical line where each field starts
  std::string problem;              // non-empty: the record is malformed (text after a closing quote)
};

// Splits content into records. source names the file in messages. A quote that never
// closes throws bertcls::Error "SOURCE:LINE: ..." naming the line where the quoted field
// opened, since everything after it would be swallowed. A malformed record (a character
// after a closing quote) is returned with `problem` set so callers can skip it.
std::vector<CsvRecord> split_delimited(std::string_view content, char delimiter, const std::string& source);

}  // namespace bertcls::io
