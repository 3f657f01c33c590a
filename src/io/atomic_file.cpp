#include "io/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>

#include <bertcls/error.h>

namespace bertcls::io {
namespace {

// fsync through a fresh descriptor: std::ofstream exposes none. A directory is synced
// the same way so the rename itself survives a crash.
void fsync_path(const std::filesystem::path& path, const std::filesystem::path& file_for_errors) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(file_for_errors.string() + ": cannot sync " + path.string() + ": " + std::strerror(errno));
  const bool ok = ::fsync(fd) == 0;
  const int err = errno;
  ::close(fd);
  if (!ok) throw Error(file_for_errors.string() + ": cannot sync " + path.string() + ": " + std::strerror(err));
}

std::filesystem::path temp_path_for(const std::filesystem::path& file) {
  std::random_device entropy;
  std::string name = file.filename().string();
  name.insert(0, 1, '.');
  name += ".tmp." + std::to_string(::getpid()) + "." + std::to_string(entropy());
  return file.parent_path() / name;
}

// An empty directory beside `dir` named DIR.TAG-XXXXXX (mkdtemp).
std::filesystem::path make_temp_sibling_directory(const std::filesystem::path& dir, const std::string& tag) {
  std::string pattern = (dir.parent_path() / (dir.filename().string() + "." + tag + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr)
    throw Error(dir.string() + ": cannot create a directory beside it: " + std::strerror(errno));
  return pattern;
}

}  // namespace

void write_file_atomically(const std::filesystem::path& file, const std::function<void(std::ostream&)>& write) {
  const std::filesystem::path temp = temp_path_for(file);
  try {
    {
      std::ofstream out(temp, std::ios::binary | std::ios::trunc);
      if (!out) throw Error(file.string() + ": cannot create " + temp.string() + ": " + std::strerror(errno));
      write(out);
      out.close();
      if (out.fail()) throw Error(file.string() + ": write failed: " + std::strerror(errno));
    }
    fsync_path(temp, file);
    std::error_code ec;
    std::filesystem::rename(temp, file, ec);
    if (ec) throw Error(file.string() + ": cannot rename " + temp.string() + " over it: " + ec.message());
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
    throw;
  }
  const auto dir = file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path();
  fsync_path(dir, file);
}

void write_directory_atomically(const std::filesystem::path& target,
                                const std::function<void(const std::filesystem::path&)>& fill,
                                const std::string& what) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::absolute(target.has_filename() ? target : target.parent_path());
  fs::create_directories(dir.parent_path());
  const fs::path tmp = make_temp_sibling_directory(dir, "tmp");
  try {
    fill(tmp);
    std::error_code ec;
    if (fs::exists(dir)) {
      const fs::path old = make_temp_sibling_directory(dir, "old");
      fs::remove(old);
      fs::rename(dir, old);
      try {
        fs::rename(tmp, dir);
      } catch (const fs::filesystem_error&) {
        fs::rename(old, dir, ec);  // put the old folder back
        throw;
      }
      fs::remove_all(old, ec);
    } else {
      fs::rename(tmp, dir);
    }
  } catch (const fs::filesystem_error& e) {
    std::error_code ec;
    fs::remove_all(tmp, ec);
    throw Error(dir.string() + ": cannot save " + what + ": " + e.what());
  } catch (...) {
    std::error_code ec;
    fs::remove_all(tmp, ec);
    throw;
  }
}

}  // namespace bertcls::io
