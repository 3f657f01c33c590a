#include "pipeline/preset_folder.h"

#include <bertcls/error.h>

#include <set>

namespace bertcls::pipeline {

namespace fs = std::filesystem;

fs::path preset_folder(const std::string& preset, const std::string& preset_dir) {
  if (preset.find('/') != std::string::npos) {
    if (!fs::exists(fs::path(preset) / "config.json")) throw Error("preset " + preset + ": no config.json in that folder");
    return preset;
  }
  const fs::path dir = fs::path(preset_dir) / preset;
  if (!preset_dir.empty() && fs::exists(dir / "config.json")) return dir;
  std::set<std::string> known;
  std::error_code ec;
  if (!preset_dir.empty())
    for (const auto& entry : fs::directory_iterator(preset_dir, ec))
      if (fs::exists(entry.path() / "config.json")) known.insert(entry.path().filename().string());
  std::string names;
  for (const std::string& name : known) names += (names.empty() ? "" : ", ") + name;
  throw Error("preset " + preset + ": no such preset (" +
              (preset_dir.empty() ? std::string("no preset folder given") : "known in " + preset_dir + ": " + names) +
              "; or give a folder with config.json)");
}

}  // namespace bertcls::pipeline
