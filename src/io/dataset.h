// Labelled text examples read from CSV, TSV or JSON Lines: what `bertcls train` and
// `bertcls eval` read. The file format comes from the extension (.csv; .tsv/.tab;
// .jsonl/.json/.ndjson) unless given. Columns (CSV/TSV header names, JSON field names) are
// chosen by name: text, an optional text pair, and the label.
//
// Labels, by task:
//  - single-label: one class per row, an integer or a string; ids come from the label set
//    (see LabelSet::from_observed for the order) or from a given one (eval against a
//    trained model's id2label), where an unknown label is an error;
//  - multi-label: a list per row, written as JSON ([0, 3], ["a", "b"]), as Python prints a
//    list ([0, 3], ['a', 'b']), as pandas writes a NumPy array to CSV ([0 3], ['a' 'b'],
//    ["a" "b"]; see label_list.h), or as "a|b"; "[]" is a row with no labels;
//  - regression: a finite number.
// Labels are trimmed of surrounding spaces; texts are kept as written.
//
// Every problem names where it is: "train.csv:12: column 'label': unknown label 'x'".
// With skip_bad_rows a row-level problem (wrong number of fields, bad quoting, invalid
// UTF-8, empty text, bad or unknown label, invalid JSON) drops that row and is counted;
// problems with the file as a whole (cannot open, missing column, a quote that never
// closes, no usable rows) are errors either way.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <bertcls/data.h>

#include "io/label_set.h"

namespace bertcls::io {

using bertcls::DataFormat;
using bertcls::Task;

struct Example {
  std::string text;
  std::string text_pair;    // empty unless a pair column is read
  int label = -1;           // single-label: class id
  std::vector<int> labels;  // multi-label: class ids, sorted, without repeats
  float target = 0.0f;      // regression
  std::size_t line = 0;     // where the row starts in its file
};

// The public options, and the label set a trained model fixes.
struct DatasetOptions : DataOptions {
  std::optional<LabelSet> labels;  // fixed label set; unknown labels are errors
};

struct Dataset {
  std::vector<Example> examples;
  LabelSet labels;                        // empty for regression and unlabelled input
  Task task = Task::SingleLabel;
  std::size_t skipped_rows = 0;
  std::vector<std::string> skip_reasons;  // the first kKeptSkipReasons messages, in file order
};

inline constexpr std::size_t kKeptSkipReasons = 5;

// "csv", "tsv", "jsonl" (also "json") for --format; throws bertcls::Error otherwise.
DataFormat parse_data_format(std::string_view name);
// The format a path's extension names; throws bertcls::Error for another extension.
DataFormat data_format_of(const std::string& path);
// The same, nullopt for another extension.
std::optional<DataFormat> data_format_from_extension(const std::string& path);

// Reads a file. Throws bertcls::Error as described above.
Dataset read_dataset(const std::string& path, const DatasetOptions& options);
// The same on content already in memory; source names it in messages. format must not be
// Auto unless source has a known extension.
Dataset parse_dataset(std::string_view content, const std::string& source, const DatasetOptions& options);

}  // namespace bertcls::io
