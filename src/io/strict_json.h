// JSON parsing for files whose every key matters (safetensors headers, config.json,
// shard indexes): a duplicate key is an error instead of nlohmann's silent last-wins.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace bertcls::io {

// Throws bertcls::Error "SOURCE: invalid JSON: ..." or "SOURCE: duplicate key \"k\"".
nlohmann::json parse_json_strict(std::string_view text, const std::string& source);

// The same for a whole file, named in messages ("FILE: cannot open" too).
nlohmann::json read_json_strict(const std::filesystem::path& file);

}  // namespace bertcls::io
