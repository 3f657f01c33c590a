#include "pipeline/preset_folder.h"

#include <bertcls/error.h>

namespace bertcls::pipeline {

namespace fs = std::filesystem;

fs::path preset_folder(const std::string& preset, const std::string& preset_dir) {
  if (preset.find('/') != std::string::npos) {
    if (!fs::exists(fs::path(preset) / "config.json")) throw Error("preset " + preset + ": no config.json in that folder");
    return preset;
  }
  const fs::path dir = fs::path(preset_dir) / preset;
  if (preset_dir.empty() || !fs::exists(dir / "config.json"))
    throw Error("preset " + preset + ": no such preset (known: rubert-tiny2" +
                (preset_dir.empty() ? std::string() : ", in " + preset_dir) +
                "; or give a folder with config.json and tokenizer files)");
  return dir;
}

}  // namespace bertcls::pipeline
