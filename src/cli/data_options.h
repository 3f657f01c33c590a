// The options train, eval, predict and serve share: which columns of which file format,
// the task, bad rows; and how texts become model inputs (length, long texts).
#pragma once

#include <CLI/CLI.hpp>
#include <map>
#include <string>

#include <bertcls/classifier.h>
#include <bertcls/data.h>

#include "io/dataset.h"

namespace bertcls::cli {

// The options of the commands that read raw texts (vocab, pretrain): a dataset's text
// column, or one text per line.
struct TextFileFlags {
  std::string format;

  void add_to(CLI::App* cmd, DataOptions& data) {
    cmd->add_option("--format", format, "csv, tsv, jsonl or lines (default: from each file's extension)")
        ->check(CLI::IsMember({"csv", "tsv", "jsonl", "json", "lines"}));
    cmd->add_option("--text-column", data.text_column, "Column (JSON field) holding the text")->capture_default_str();
    cmd->add_flag("--skip-bad-rows", data.skip_bad_rows, "Skip (and count) malformed rows instead of failing");
  }
  void apply(DataOptions& data, bool& lines) const {
    if (format == "lines") lines = true;
    else if (!format.empty()) data.format = io::parse_data_format(format);
  }
};

struct DataFlags {
  std::string format;
  bool multi_label = false;
  bool regression = false;
  DataOptions options;

  void add_to(CLI::App* cmd) {
    cmd->add_option("--format", format, "csv, tsv or jsonl (default: from the file extension)");
    cmd->add_option("--text-column", options.text_column, "Column (JSON field) holding the text")->capture_default_str();
    cmd->add_option("--text-pair-column", options.text_pair_column, "Column holding the second text of a pair");
    cmd->add_option("--label-column", options.label_column, "Column holding the label")->capture_default_str();
    cmd->add_flag("--multi-label", multi_label, "Rows carry label lists ([0, 3], [0 3] or a|b)");
    cmd->add_flag("--regression", regression, "The label is a number to predict");
    cmd->add_flag("--skip-bad-rows", options.skip_bad_rows, "Skip (and count) malformed rows instead of failing");
    cmd->get_option("--multi-label")->excludes(cmd->get_option("--regression"));
  }

  DataOptions resolved() const {
    DataOptions o = options;
    o.format = format.empty() ? DataFormat::Auto : io::parse_data_format(format);
    o.task = multi_label ? Task::MultiLabel : regression ? Task::Regression : Task::SingleLabel;
    return o;
  }
};

struct TextFlags {
  TextOptions options;
  std::size_t stride = 0;

  void add_to(CLI::App* cmd, std::size_t default_max_length) {
    options.max_length = default_max_length;
    cmd->add_option("--max-length", options.max_length, "Tokens per text (window), special tokens included; 0: the model's")
        ->capture_default_str();
    cmd->add_option("--long-texts", options.long_texts, "Longer texts: truncate, or chunk into overlapping windows")
        ->transform(CLI::CheckedTransformer(std::map<std::string, LongTexts>{{"truncate", LongTexts::Truncate},
                                                                             {"chunk", LongTexts::Chunk}}))
        ->default_str("truncate");
    cmd->add_option("--stride", stride, "chunk: tokens a window repeats from the one before (default: a quarter of it)");
    cmd->add_option("--pooling", options.pooling, "chunk: how window logits become the text's: mean or max")
        ->transform(CLI::CheckedTransformer(std::map<std::string, WindowPooling>{{"mean", WindowPooling::Mean},
                                                                                 {"max", WindowPooling::Max}}))
        ->default_str("mean");
  }

  TextOptions resolved(const CLI::App& cmd) const {
    TextOptions o = options;
    if (cmd.count("--stride") > 0) o.stride = stride;
    return o;
  }
};

// --precision fp32|bf16: the number format of the dense layers' products.
inline void add_precision_option(CLI::App* cmd, Precision& precision, const std::string& help) {
  cmd->add_option("--precision", precision, help)
      ->transform(CLI::CheckedTransformer(std::map<std::string, Precision>{{"fp32", Precision::Float32},
                                                                           {"bf16", Precision::BFloat16}}))
      ->default_str("fp32");
}

// predict, eval and serve: the number format of the dense layers.
struct InferenceFlags {
  InferenceOptions options;

  void add_to(CLI::App* cmd) {
    cmd->add_option("--quantize", options.quantize, "Dense layers in int8 (dynamic quantization, as ONNX Runtime's)")
        ->transform(CLI::CheckedTransformer(std::map<std::string, Quantization>{{"none", Quantization::None},
                                                                                {"int8", Quantization::Int8}}))
        ->default_str("none");
    add_precision_option(cmd, options.precision, "Dense layers' products: fp32, or bf16 (AVX512-BF16 or AMX CPUs)");
  }
};

}  // namespace bertcls::cli
