#include "io/dataset.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include <bertcls/error.h>

#include "common/trim.h"
#include "io/csv_reader.h"
#include "io/jsonl_reader.h"
#include "io/label_list.h"
#include "io/utf8_check.h"

namespace bertcls::io {

namespace {

// The cells a row contributes before its label is interpreted.
struct RawRow {
  std::size_t line = 0;
  std::string text, text_pair, label;
  bool label_is_json_list = false;  // JSONL: the label field held an array
  std::string problem;              // non-empty: the reader found the row malformed
};

// Row-level problems either stop the read (the default) or drop the row and are counted.
class RowProblems {
 public:
  RowProblems(const std::string& source, bool skip, Dataset& out) : source_(source), skip_(skip), out_(out) {}

  void report(std::size_t line, const std::string& message) {
    const std::string full = source_ + ":" + std::to_string(line) + ": " + message;
    if (!skip_) throw Error(full);
    ++out_.skipped_rows;
    if (out_.skip_reasons.size() < kKeptSkipReasons) out_.skip_reasons.push_back(full);
  }

 private:
  const std::string& source_;
  bool skip_;
  Dataset& out_;
};

std::string join(const std::vector<std::string>& names, std::size_t most = 20) {
  std::string s;
  for (std::size_t i = 0; i < names.size() && i < most; ++i) s += (i ? ", " : "") + names[i];
  if (names.size() > most) s += ", ... (" + std::to_string(names.size()) + " in all)";
  return s;
}

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

// The columns a read needs, indexed by these constants; empty names are not read.
constexpr std::size_t kTextCell = 0, kPairCell = 1, kLabelCell = 2;
std::vector<std::string> wanted_columns(const DatasetOptions& o) {
  return {o.text_column, o.text_pair_column, o.label_column};
}

void assign_cell(RawRow& row, std::size_t which, std::string value) {
  (which == kTextCell ? row.text : which == kPairCell ? row.text_pair : row.label) = std::move(value);
}

std::vector<RawRow> rows_from_delimited(std::string_view content, char delimiter, const std::string& source,
                                        const DatasetOptions& options) {
  std::vector<CsvRecord> records = split_delimited(content, delimiter, source);
  if (records.empty()) throw Error(source + ": empty file (expected a header line)");
  const CsvRecord& header = records.front();
  if (!header.problem.empty()) throw Error(source + ":" + std::to_string(header.line) + ": header: " + header.problem);

  const std::vector<std::string> wanted = wanted_columns(options);
  std::vector<std::size_t> index(wanted.size(), std::string::npos);
  for (std::size_t w = 0; w < wanted.size(); ++w) {
    if (wanted[w].empty()) continue;
    for (std::size_t c = 0; c < header.fields.size(); ++c) {
      if (header.fields[c] != wanted[w]) continue;
      if (index[w] != std::string::npos)
        throw Error(source + ":" + std::to_string(header.line) + ": column '" + wanted[w] + "' appears twice in the header");
      index[w] = c;
    }
    if (index[w] == std::string::npos)
      throw Error(source + ":" + std::to_string(header.line) + ": no column '" + wanted[w] + "' (the header has: " +
                  join(header.fields) + ")");
  }

  std::vector<RawRow> rows;
  for (std::size_t r = 1; r < records.size(); ++r) {
    CsvRecord& rec = records[r];
    RawRow& row = rows.emplace_back();
    row.line = rec.line;
    row.problem = rec.problem;
    if (row.problem.empty() && rec.fields.size() != header.fields.size())
      row.problem = "expected " + std::to_string(header.fields.size()) + " fields as in the header, found " +
                    std::to_string(rec.fields.size()) + " (a field holding the delimiter must be quoted)";
    for (std::size_t w = 0; w < wanted.size() && row.problem.empty(); ++w) {
      if (index[w] == std::string::npos) continue;
      std::string& cell = rec.fields[index[w]];
      if (const std::size_t bad = invalid_utf8_offset(cell); bad != std::string::npos)
        row.problem = "column '" + wanted[w] + "': invalid UTF-8 at " +
                      describe_utf8_error(cell, bad, rec.field_lines[index[w]]);
      else
        assign_cell(row, w, std::move(cell));
    }
  }
  return rows;
}

std::vector<RawRow> rows_from_jsonl(std::string_view content, const std::string& source, const DatasetOptions& options) {
  const std::vector<std::string> wanted = wanted_columns(options);
  std::vector<RawRow> rows;
  for (JsonlRecord& rec : split_jsonl(content, source)) {
    RawRow& row = rows.emplace_back();
    row.line = rec.line;
    std::string& problem = row.problem;
    problem = rec.problem;
    for (std::size_t w = 0; w < wanted.size() && problem.empty(); ++w) {
      if (wanted[w].empty()) continue;
      const auto it = rec.object.find(wanted[w]);
      if (it == rec.object.end()) {
        std::vector<std::string> keys;
        for (const auto& item : rec.object.items()) keys.push_back(item.key());
        problem = "no field '" + wanted[w] + "' (the object has: " + join(keys) + ")";
      } else if (it->is_string()) {
        assign_cell(row, w, it->get<std::string>());
      } else if (w == kLabelCell && (it->is_number() || it->is_array())) {
        // Labels may be numbers or lists; the label parser reads them back from JSON text.
        row.label_is_json_list = it->is_array();
        assign_cell(row, w, it->dump());
      } else {
        problem = "field '" + wanted[w] + "' must be a " + (w == kLabelCell ? "string, number or list" : "string") +
                  ", found " + it->type_name();
      }
    }
  }
  return rows;
}

// A label cell interpreted for the task. Returns a problem, or empty on success.
std::string parse_label(const RawRow& row, Task task, std::vector<std::string>& names, float& target) {
  const std::string cell = trim(row.label);
  if (cell.empty())
    return task == Task::MultiLabel ? "empty label (write [] for a row without labels)" : "empty label";
  const bool looks_like_list = row.label_is_json_list || cell.front() == '[';
  switch (task) {
    case Task::SingleLabel:
      if (looks_like_list) return "label '" + cell + "' is a list; multi-label data needs --multi-label";
      names.push_back(cell);
      return {};
    case Task::Regression: {
      double value = 0.0;
      const auto [ptr, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
      if (ec != std::errc() || ptr != cell.data() + cell.size() || !std::isfinite(value))
        return "regression target '" + cell + "' is not a finite number";
      target = static_cast<float>(value);
      return {};
    }
    case Task::MultiLabel:
      if (looks_like_list) {
        if (std::string problem = parse_label_list(cell, names); !problem.empty())
          return "label '" + cell + "' is not a valid list: " + problem +
                 " (write [0, 3], [0 3], [\"a\", \"b\"], ['a' 'b'] or a|b)";
        return {};
      }
      for (std::size_t start = 0;;) {
        const std::size_t bar = cell.find('|', start);
        std::string name = trim(std::string_view(cell).substr(start, bar == std::string::npos ? std::string::npos : bar - start));
        if (name.empty()) return "label '" + cell + "' has an empty item between '|'";
        names.push_back(std::move(name));
        if (bar == std::string::npos) return {};
        start = bar + 1;
      }
  }
  return {};
}

}  // namespace

DataFormat parse_data_format(std::string_view name) {
  if (name == "csv") return DataFormat::Csv;
  if (name == "tsv") return DataFormat::Tsv;
  if (name == "jsonl" || name == "json") return DataFormat::Jsonl;
  throw Error("unknown data format '" + std::string(name) + "' (expected csv, tsv or jsonl)");
}

std::optional<DataFormat> data_format_from_extension(const std::string& path) {
  const std::size_t dot = path.find_last_of("./");
  std::string ext = dot != std::string::npos && path[dot] == '.' ? path.substr(dot) : std::string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".csv") return DataFormat::Csv;
  if (ext == ".tsv" || ext == ".tab") return DataFormat::Tsv;
  if (ext == ".jsonl" || ext == ".json" || ext == ".ndjson") return DataFormat::Jsonl;
  return std::nullopt;
}

DataFormat data_format_of(const std::string& path) {
  if (std::optional<DataFormat> format = data_format_from_extension(path)) return *format;
  throw Error(path + ": cannot tell the format from the extension; pass --format csv, tsv or jsonl");
}

Dataset read_dataset(const std::string& path, const DatasetOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot open: " + std::strerror(errno));
  std::ostringstream content;
  content << in.rdbuf();
  return parse_dataset(content.str(), path, options);
}

Dataset parse_dataset(std::string_view content, const std::string& source, const DatasetOptions& options) {
  if (options.text_column.empty()) throw Error("the text column name is empty");
  const DataFormat format = options.format == DataFormat::Auto ? data_format_of(source) : options.format;
  Dataset out;
  out.task = options.task;
  RowProblems problems(source, options.skip_bad_rows, out);
  std::vector<RawRow> rows = format == DataFormat::Jsonl
                                 ? rows_from_jsonl(content, source, options)
                                 : rows_from_delimited(content, format == DataFormat::Tsv ? '\t' : ',', source, options);

  const bool labelled = !options.label_column.empty();
  auto ref = [&](const std::string& name) { return std::string(format == DataFormat::Jsonl ? "field '" : "column '") + name + "': "; };

  std::vector<std::vector<std::string>> row_names;  // label names per kept example
  for (RawRow& row : rows) {
    if (!row.problem.empty()) {
      problems.report(row.line, row.problem);
      continue;
    }
    if (blank(row.text)) {
      problems.report(row.line, ref(options.text_column) + "empty text");
      continue;
    }
    if (!options.text_pair_column.empty() && blank(row.text_pair)) {
      problems.report(row.line, ref(options.text_pair_column) + "empty text");
      continue;
    }
    Example ex;
    ex.line = row.line;
    std::vector<std::string> names;
    if (labelled) {
      std::string problem = parse_label(row, options.task, names, ex.target);
      if (problem.empty() && options.labels && options.task != Task::Regression)
        for (const std::string& name : names)
          if (options.labels->id_of(name) < 0) {
            problem = "unknown label '" + name + "' (known: " + join(options.labels->id2label()) + ")";
            break;
          }
      if (!problem.empty()) {
        problems.report(row.line, ref(options.label_column) + problem);
        continue;
      }
    }
    ex.text = std::move(row.text);
    ex.text_pair = std::move(row.text_pair);
    out.examples.push_back(std::move(ex));
    row_names.push_back(std::move(names));
  }

  if (out.examples.empty())
    throw Error(source + ": no usable rows" +
                (out.skipped_rows ? " (" + std::to_string(out.skipped_rows) + " skipped; first: " + out.skip_reasons.front() + ")"
                                  : std::string()));

  if (labelled && options.task != Task::Regression) {
    if (options.labels) {
      out.labels = *options.labels;
    } else {
      std::vector<std::string> all;
      for (const auto& names : row_names) all.insert(all.end(), names.begin(), names.end());
      out.labels = LabelSet::from_observed(all);
    }
    for (std::size_t i = 0; i < out.examples.size(); ++i) {
      Example& ex = out.examples[i];
      for (const std::string& name : row_names[i]) ex.labels.push_back(out.labels.id_of(name));
      std::sort(ex.labels.begin(), ex.labels.end());
      ex.labels.erase(std::unique(ex.labels.begin(), ex.labels.end()), ex.labels.end());
      if (options.task == Task::SingleLabel) {
        ex.label = ex.labels.front();
        ex.labels.clear();
      }
    }
  }
  return out;
}

}  // namespace bertcls::io
