// Where the bundled presets (data/rubert-tiny2) live for `train` and `pretrain` without
// --model: the source tree's data/ for a binary run where it was built, else an installed
// tree's share/bertcls, found next to the binary (wherever the tree was unpacked: `cmake
// --install --prefix`, a .deb) or under the configured prefix.
#pragma once

#include <string>

namespace bertcls::cli {

// The first of those folders that has `preset`/config.json (else the source tree's data/,
// and the pipeline names the preset it cannot find there).
std::string bundled_presets_dir(const std::string& preset);

}  // namespace bertcls::cli
