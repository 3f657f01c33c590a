// The records a training run leaves in RUN/metrics.jsonl, as tests compare them.
#pragma once

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace bertcls::test {

// The "event": "epoch" records without their timing fields (samples and tokens per
// second), which differ between two runs of the same trajectory.
inline std::vector<nlohmann::json> epoch_records(const std::filesystem::path& run) {
  std::vector<nlohmann::json> records;
  std::ifstream in(run / "metrics.jsonl");
  for (std::string line; std::getline(in, line);) {
    nlohmann::json r = nlohmann::json::parse(line);
    if (r["event"] != "epoch") continue;
    r.erase("samples_per_second");
    r.erase("tokens_per_second");
    records.push_back(r);
  }
  return records;
}

}  // namespace bertcls::test
