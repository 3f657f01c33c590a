// Labelled data as bertcls reads it: the task a file's labels describe and where in the
// file the texts and labels are. Plain types of the public API (see classifier.h).
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace bertcls {

// Single-label: one class per row. Multi-label: a list of classes per row ([0, 3],
// ["a", "b"], [1 2] as pandas writes NumPy arrays, or a|b). Regression: a number.
enum class Task { SingleLabel, MultiLabel, Regression };

enum class DataFormat { Auto, Csv, Tsv, Jsonl };  // Auto: from the file's extension

struct DataOptions {
  DataFormat format = DataFormat::Auto;
  std::string text_column = "text";      // CSV/TSV header name or JSON field
  std::string text_pair_column;          // empty: single texts
  std::string label_column = "label";    // empty: texts only (prediction input)
  Task task = Task::SingleLabel;
  bool skip_bad_rows = false;            // count and drop malformed rows instead of failing
};

// Texts longer than the model takes (max_length tokens, special tokens included).
enum class LongTexts {
  Truncate,  // cut to max_length, as Hugging Face does (pairs: longest first)
  Chunk,     // cut into overlapping windows whose logits are pooled; trains on every window
  Reject,    // an Error naming the text (the server's "truncate": false)
};

// How a chunked text's window logits become its logits.
enum class WindowPooling { Mean, Max };

struct TextOptions {
  std::size_t max_length = 0;  // tokens per window, special tokens included; 0: the model's limit
  LongTexts long_texts = LongTexts::Truncate;
  // Chunk: tokens a window repeats from the one before; default a quarter of the window.
  std::optional<std::size_t> stride;
  WindowPooling pooling = WindowPooling::Mean;
};

}  // namespace bertcls
