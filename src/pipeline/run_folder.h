// The folder a training run (fine-tuning or pre-training) writes: OUT/model,
// metrics.jsonl and curves.svg (train/metrics_log.h) and checkpoint-STEP folders
// (train/checkpoint.h), kept consistent with each other across a resume.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "hf/model_config.h"
#include "text/tokenizer.h"
#include "train/checkpoint.h"
#include "train/metrics_log.h"

namespace bertcls::pipeline {

class RunFolder {
 public:
  // `run` is the run's fingerprint; with a checkpoint (a resume) it must equal the
  // checkpoint's (Error naming the first difference) and metrics.jsonl is cut back to
  // what it held then; without one, a previous run's checkpoints in `out` are removed, so
  // that a later resume cannot pick them.
  RunFolder(const std::string& out, nlohmann::json run, const train::LoadedCheckpoint* checkpoint);

  std::filesystem::path model_dir() const { return out_ / "model"; }
  train::MetricsLog& metrics() { return metrics_; }

  // Writes OUT/checkpoint-STEP with the run's fingerprint and metrics.jsonl's size.
  std::filesystem::path save_checkpoint(const train::TrainerSnapshot& snapshot, const hf::ModelConfig& config,
                                        const text::Tokenizer* tokenizer);

 private:
  std::filesystem::path out_;
  nlohmann::json run_;
  train::MetricsLog metrics_;
};

}  // namespace bertcls::pipeline
