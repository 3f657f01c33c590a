// The examples a fine-tuning run trains and validates on: several training files read as
// one dataset (label ids from the union of their labels, so the order of the files does
// not change a label's id), a validation file read against those labels, or else a
// seeded stratified share of the training data held out.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <bertcls/data.h>

#include "io/dataset.h"

namespace bertcls::pipeline {

struct TrainingData {
  std::vector<io::Example> train, valid;
  std::vector<std::string> labels;  // id -> name; regression: one output, "LABEL_0"
  std::string train_name, valid_name;  // how errors and messages name them
};

// `say` hears a line per file with skipped rows.
TrainingData read_training_data(const std::vector<std::string>& train_files, const std::string& valid_file,
                                double valid_split, const DataOptions& data, std::uint64_t seed,
                                const std::function<void(const std::string&)>& say);

// "train.csv: skipped 3 bad rows" and the first reasons, one line each; nothing when none.
std::vector<std::string> skipped_rows_report(const std::string& path, std::size_t skipped,
                                             const std::vector<std::string>& reasons);

}  // namespace bertcls::pipeline
