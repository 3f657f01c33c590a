#include "pipeline/run_folder.h"

#include <optional>

namespace bertcls::pipeline {
namespace {

namespace fs = std::filesystem;

// Checks the fingerprint and returns the bytes of metrics.jsonl to keep (resume), or
// prepares a fresh folder.
std::optional<std::uint64_t> prepare(const fs::path& out, const nlohmann::json& run,
                                     const train::LoadedCheckpoint* checkpoint) {
  std::optional<std::uint64_t> metrics_bytes;
  if (checkpoint) {
    train::check_same_run(checkpoint->info.run, run, checkpoint->dir);
    metrics_bytes = checkpoint->info.caller.at("metrics_bytes").get<std::uint64_t>();
  }
  fs::create_directories(out);
  if (!checkpoint) train::remove_checkpoints(out);
  return metrics_bytes;
}

}  // namespace

RunFolder::RunFolder(const std::string& out, nlohmann::json run, const train::LoadedCheckpoint* checkpoint)
    : out_(out), run_(std::move(run)), metrics_(out_, prepare(out_, run_, checkpoint)) {}

fs::path RunFolder::save_checkpoint(const train::TrainerSnapshot& snapshot, const hf::ModelConfig& config,
                                    const text::Tokenizer* tokenizer) {
  return train::save_checkpoint(out_, snapshot, config, tokenizer, {run_, {{"metrics_bytes", metrics_.bytes()}}});
}

}  // namespace bertcls::pipeline
