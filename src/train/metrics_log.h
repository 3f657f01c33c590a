// The record a training run leaves in its folder: metrics.jsonl (one JSON object per
// logging step, "event": "step", and per epoch, "event": "epoch") and curves.svg, the
// picture of those records. A resumed run first cuts metrics.jsonl back to the size it
// had at its checkpoint, so the lines of the lost stretch are not counted twice.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>

namespace bertcls::train {

class MetricsLog {
 public:
  // Starts RUN/metrics.jsonl afresh, or, with keep_bytes, keeps its first keep_bytes
  // bytes and appends after them. Throws bertcls::Error naming the file.
  MetricsLog(const std::filesystem::path& run_dir, std::optional<std::uint64_t> keep_bytes);

  void append(const nlohmann::ordered_json& record);
  std::uint64_t bytes() const { return bytes_; }

  // Redraws RUN/curves.svg from every record of metrics.jsonl (atomically).
  void write_curves() const;

  std::filesystem::path jsonl_path() const { return run_dir_ / "metrics.jsonl"; }
  std::filesystem::path curves_path() const { return run_dir_ / "curves.svg"; }

 private:
  std::filesystem::path run_dir_;
  std::ofstream out_;
  std::uint64_t bytes_ = 0;
};

}  // namespace bertcls::train
