#include "train/checkpoint.h"

#include <charconv>
#include <fstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include <bertcls/error.h>
#include "io/atomic_file.h"
#include "io/safetensors.h"
#include "hf/model_folder.h"

namespace bertcls::train {
namespace fs = std::filesystem;
namespace {

constexpr const char* kStateFile = "trainer_state.json";
constexpr const char* kOptimizerFile = "optimizer.safetensors";
constexpr const char* kPrefix = "checkpoint-";

// The step of a folder named checkpoint-STEP; -1 for any other name.
std::int64_t step_of(const fs::path& dir) {
  const std::string name = dir.filename().string();
  if (name.rfind(kPrefix, 0) != 0) return -1;
  const char* first = name.data() + std::char_traits<char>::length(kPrefix);
  const char* last = name.data() + name.size();
  std::int64_t step = -1;
  const auto [end, ec] = std::from_chars(first, last, step);
  return ec == std::errc() && end == last && first != last ? step : -1;
}

std::vector<fs::path> checkpoints_in(const fs::path& run_dir) {
  std::vector<fs::path> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(run_dir, ec))
    if (entry.is_directory() && step_of(entry.path()) >= 0) found.push_back(entry.path());
  return found;
}

nlohmann::json progress_to_json(const TrainerProgress& p) {
  return {{"step", p.step},
          {"epoch", p.epoch},
          {"next_batch", p.next_batch},
          {"batch_number", p.batch_number},
          {"epoch_loss_sum", p.epoch_loss_sum},
          {"epoch_batches", p.epoch_batches},
          {"epoch_samples", p.epoch_samples},
          {"epoch_seconds", p.epoch_seconds},
          {"best_score", p.best_score ? nlohmann::json(*p.best_score) : nlohmann::json(nullptr)},
          {"epochs_without_improvement", p.epochs_without_improvement}};
}

TrainerProgress progress_from_json(const nlohmann::json& j) {
  TrainerProgress p;
  j.at("step").get_to(p.step);
  j.at("epoch").get_to(p.epoch);
  j.at("next_batch").get_to(p.next_batch);
  j.at("batch_number").get_to(p.batch_number);
  j.at("epoch_loss_sum").get_to(p.epoch_loss_sum);
  j.at("epoch_batches").get_to(p.epoch_batches);
  j.at("epoch_samples").get_to(p.epoch_samples);
  j.at("epoch_seconds").get_to(p.epoch_seconds);
  if (!j.at("best_score").is_null()) p.best_score = j.at("best_score").get<double>();
  j.at("epochs_without_improvement").get_to(p.epochs_without_improvement);
  return p;
}

}  // namespace

fs::path save_checkpoint(const fs::path& run_dir, const TrainerSnapshot& snapshot, const hf::ModelConfig& config,
                         const text::Tokenizer* tokenizer, const CheckpointInfo& info) {
  if (!snapshot.optimizer.flushed())
    throw std::logic_error("save_checkpoint: the optimizer has lazy rows to flush() first");
  const fs::path target = fs::absolute(run_dir) / (kPrefix + std::to_string(snapshot.progress.step));
  io::write_directory_atomically(
      target,
      [&](const fs::path& tmp) {
        hf::save_model_folder(config, snapshot.model.weights(), tokenizer, tmp / "model");
        const auto n = static_cast<std::int64_t>(snapshot.optimizer.num_params());
        io::write_safetensors(tmp / kOptimizerFile, {{"exp_avg", {n}, snapshot.optimizer.exp_avg().data()},
                                                     {"exp_avg_sq", {n}, snapshot.optimizer.exp_avg_sq().data()}});
        const nlohmann::json state = {{"progress", progress_to_json(snapshot.progress)},
                                      {"optimizer_steps", snapshot.optimizer.steps_taken()},
                                      {"run", info.run},
                                      {"caller", info.caller}};
        io::write_file_atomically(tmp / kStateFile, [&](std::ostream& out) { out << state.dump(2) << "\n"; });
      },
      "the checkpoint");
  remove_checkpoints(target.parent_path(), target);
  return target;
}

void remove_checkpoints(const fs::path& run_dir, const fs::path& keep) {
  for (const fs::path& old : checkpoints_in(run_dir)) {
    std::error_code ec;
    if (!keep.empty() && fs::equivalent(old, keep, ec)) continue;
    fs::remove_all(old, ec);
  }
}

fs::path find_checkpoint(const fs::path& dir) {
  if (fs::exists(dir / kStateFile)) return dir;
  if (!fs::is_directory(dir)) throw Error("resume " + dir.string() + ": no such folder");
  fs::path best;
  for (const fs::path& c : checkpoints_in(dir))
    if (best.empty() || step_of(c) > step_of(best)) best = c;
  if (best.empty())
    throw Error("resume " + dir.string() + ": no checkpoint-STEP folder in it (checkpoints are written every " +
                "save_steps steps and when a run is interrupted)");
  return best;
}

bool has_checkpoint(const fs::path& dir) {
  return fs::exists(dir / kStateFile) || !checkpoints_in(dir).empty();
}

LoadedCheckpoint read_checkpoint(const fs::path& dir) {
  LoadedCheckpoint loaded;
  loaded.dir = dir;
  const fs::path state_file = dir / kStateFile;
  std::ifstream in(state_file);
  if (!in) throw Error(state_file.string() + ": cannot open");
  try {
    const nlohmann::json state = nlohmann::json::parse(in);
    loaded.resume.progress = progress_from_json(state.at("progress"));
    if (state.at("optimizer_steps").get<std::int64_t>() != loaded.resume.progress.step)
      throw Error("optimizer_steps differs from progress.step");
    loaded.info.run = state.at("run");
    loaded.info.caller = state.at("caller");
  } catch (const nlohmann::json::exception& e) {
    throw Error(state_file.string() + ": not a bertcls trainer state: " + e.what());
  } catch (const Error& e) {
    throw Error(state_file.string() + ": " + e.what());
  }
  for (io::NamedTensor& t : io::read_safetensors(dir / kOptimizerFile)) {
    if (t.name == "exp_avg") loaded.resume.exp_avg = std::move(t.data);
    else if (t.name == "exp_avg_sq") loaded.resume.exp_avg_sq = std::move(t.data);
  }
  if (loaded.resume.exp_avg.empty() || loaded.resume.exp_avg.size() != loaded.resume.exp_avg_sq.size())
    throw Error((dir / kOptimizerFile).string() + ": needs exp_avg and exp_avg_sq of equal size");
  return loaded;
}

void check_same_run(const nlohmann::json& saved, const nlohmann::json& now, const fs::path& dir) {
  for (const auto& [key, value] : saved.items()) {
    const auto it = now.find(key);
    if (it == now.end() || *it != value)
      throw Error("resume " + dir.string() + ": the run was made with " + key + " = " + value.dump() +
                  ", this one has " + (it == now.end() ? std::string("none") : it->dump()) +
                  "; resume with the same options and data");
  }
}

}  // namespace bertcls::train
