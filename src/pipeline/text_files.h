// Unlabelled texts from files, read the same way by everything that learns from raw text
// (the vocabulary, masked-LM pre-training): a dataset's text column for .csv, .tsv and
// .jsonl files (labels are not read, so unlabelled datasets are fine), one text per line
// for any other file.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include <bertcls/data.h>

namespace bertcls::pipeline {

struct TextFileOptions {
  DataOptions data;    // format (Auto: by extension), text_column, skip_bad_rows
  bool lines = false;  // every file as one text per line, whatever its extension
};

// Calls `text` for each text of `path` in order; returns how many there were. Throws
// Error naming the file and line of a malformed row or invalid UTF-8.
std::size_t for_each_text(const std::string& path, const TextFileOptions& options,
                          const std::function<void(std::string&&)>& text);

}  // namespace bertcls::pipeline
