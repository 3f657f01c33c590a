#include "cli/bundled_presets.h"

#include <filesystem>
#include <vector>

namespace bertcls::cli {

std::string bundled_presets_dir(const std::string& preset) {
  namespace fs = std::filesystem;
  std::vector<fs::path> candidates{BERTCLS_DATA_DIR};
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) candidates.push_back(exe.parent_path() / BERTCLS_BIN_TO_DATA);
  candidates.push_back(BERTCLS_INSTALLED_DATA_DIR);
  for (const fs::path& dir : candidates)
    if (fs::exists(dir / preset / "config.json", ec)) return dir.lexically_normal().string();
  return BERTCLS_DATA_DIR;
}

}  // namespace bertcls::cli
