// Where a from-scratch model's shape and tokenizer come from: a bundled preset's name
// (looked up in preset_dir, which the CLI points at its data/) or any folder with
// config.json and tokenizer files. Shared by fine-tuning and pre-training.
#pragma once

#include <filesystem>
#include <string>

namespace bertcls::pipeline {

// Throws Error naming the preset when it has no config.json.
std::filesystem::path preset_folder(const std::string& preset, const std::string& preset_dir);

}  // namespace bertcls::pipeline
