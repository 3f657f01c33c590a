#include "train/metrics_log.h"

#include <string>
#include <system_error>
#include <vector>

#include <bertcls/error.h>
#include "io/atomic_file.h"
#include "train/curves_svg.h"

namespace bertcls::train {
namespace fs = std::filesystem;

MetricsLog::MetricsLog(const fs::path& run_dir, std::optional<std::uint64_t> keep_bytes) : run_dir_(run_dir) {
  const fs::path file = jsonl_path();
  if (keep_bytes) {
    std::error_code ec;
    const std::uintmax_t size = fs::file_size(file, ec);
    if (ec || size < *keep_bytes)
      throw Error(file.string() + ": has " + (ec ? std::string("no data") : std::to_string(size) + " bytes") +
                  ", the checkpoint expects at least " + std::to_string(*keep_bytes));
    fs::resize_file(file, *keep_bytes, ec);
    if (ec) throw Error(file.string() + ": cannot cut back to the checkpoint: " + ec.message());
    bytes_ = *keep_bytes;
    out_.open(file, std::ios::app | std::ios::binary);
  } else {
    out_.open(file, std::ios::trunc | std::ios::binary);
  }
  if (!out_) throw Error(file.string() + ": cannot open for writing");
}

void MetricsLog::append(const nlohmann::ordered_json& record) {
  const std::string line = record.dump() + "\n";
  out_ << line << std::flush;
  if (!out_) throw Error(jsonl_path().string() + ": write failed");
  bytes_ += line.size();
}

void MetricsLog::write_curves() const {
  std::vector<nlohmann::json> records;
  std::ifstream in(jsonl_path());
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) records.push_back(nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false));
  const std::string svg = render_training_curves(records);
  io::write_file_atomically(curves_path(), [&](std::ostream& out) { out << svg; });
}

}  // namespace bertcls::train
