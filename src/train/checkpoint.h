// Training checkpoints, so that a stopped run (Ctrl-C, a crash, a lost machine) continues
// exactly where it was. A checkpoint is the folder RUN/checkpoint-STEP with
//   model/                  the model as a Hugging Face folder (with the tokenizer)
//   optimizer.safetensors   AdamW's moments, flat: exp_avg and exp_avg_sq
//   trainer_state.json      TrainerProgress, the run's fingerprint and caller state
// It is written into a temporary sibling and renamed, so a folder named checkpoint-STEP
// is always complete; older checkpoints of the run are removed once the new one exists.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>

#include "hf/model_config.h"
#include "text/tokenizer.h"
#include "train/trainer.h"

namespace bertcls::train {

struct CheckpointInfo {
  // What must be equal for a continuation to be exact (options, data sizes, ...): a flat
  // object whose values are compared one by one on resume.
  nlohmann::json run = nlohmann::json::object();
  // The caller's own state (e.g. how many bytes of its log belong to this point).
  nlohmann::json caller = nlohmann::json::object();
};

// Writes RUN/checkpoint-STEP and returns its path; `config` gives the model folder its
// label names and the source config's other keys. Throws bertcls::Error.
std::filesystem::path save_checkpoint(const std::filesystem::path& run_dir, const TrainerSnapshot& snapshot,
                                      const hf::ModelConfig& config, const text::Tokenizer* tokenizer,
                                      const CheckpointInfo& info);

// Removes every checkpoint-STEP folder of the run except `keep` (may be empty).
void remove_checkpoints(const std::filesystem::path& run_dir, const std::filesystem::path& keep = {});

// `dir` is a checkpoint folder, or a run folder: its checkpoint with the highest step.
// Throws bertcls::Error when there is none.
std::filesystem::path find_checkpoint(const std::filesystem::path& dir);
// Whether find_checkpoint(dir) finds one.
bool has_checkpoint(const std::filesystem::path& dir);

struct LoadedCheckpoint {
  std::filesystem::path dir;
  ResumePoint resume;  // progress and optimizer moments
  CheckpointInfo info;
};

// Reads trainer_state.json and optimizer.safetensors of a checkpoint folder (the model is
// in dir / "model", for hf::load_pretrained). Throws bertcls::Error naming the file.
LoadedCheckpoint read_checkpoint(const std::filesystem::path& dir);

// Throws bertcls::Error naming the first field of `saved` that `now` lacks or differs in.
void check_same_run(const nlohmann::json& saved, const nlohmann::json& now, const std::filesystem::path& dir);

}  // namespace bertcls::train
