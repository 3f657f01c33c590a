// The dataset options train and eval share: format, columns, task, bad rows.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "common/error.h"
#include "io/dataset.h"

namespace bertcls::cli {

struct DataFlags {
  std::string format;
  std::string text_column = "text";
  std::string text_pair_column;
  std::string label_column = "label";
  bool multi_label = false;
  bool regression = false;
  bool skip_bad_rows = false;

  void add_to(CLI::App* cmd) {
    cmd->add_option("--format", format, "csv, tsv or jsonl (default: from the file extension)");
    cmd->add_option("--text-column", text_column, "Column (JSON field) holding the text")->capture_default_str();
    cmd->add_option("--text-pair-column", text_pair_column, "Column holding the second text of a pair");
    cmd->add_option("--label-column", label_column, "Column holding the label")->capture_default_str();
    cmd->add_flag("--multi-label", multi_label, "Rows carry label lists ([0, 3] or a|b)");
    cmd->add_flag("--regression", regression, "The label is a number to predict");
    cmd->add_flag("--skip-bad-rows", skip_bad_rows, "Skip (and count) malformed rows instead of failing");
  }

  io::DatasetOptions options() const {
    io::DatasetOptions o;
    o.format = format.empty() ? io::DataFormat::Auto : io::parse_data_format(format);
    o.text_column = text_column;
    o.text_pair_column = text_pair_column;
    o.label_column = label_column;
    if (multi_label && regression) throw bertcls::Error("--multi-label and --regression exclude each other");
    o.task = multi_label ? io::Task::MultiLabel : regression ? io::Task::Regression : io::Task::SingleLabel;
    o.skip_bad_rows = skip_bad_rows;
    return o;
  }
};

// "train.csv: skipped 3 bad rows (first: ...)" when rows were skipped.
inline void report_skipped(const std::string& path, const io::Dataset& d) {
  if (d.skipped_rows == 0) return;
  std::fprintf(stderr, "bertcls: %s: skipped %zu bad rows\n", path.c_str(), d.skipped_rows);
  for (const auto& reason : d.skip_reasons) std::fprintf(stderr, "  %s\n", reason.c_str());
}

}  // namespace bertcls::cli
