// Helpers shared by the io_* tests: fixture paths, byte files, scratch folders, and an
// expectation that a call throws bertcls::Error mentioning given phrases.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstddef>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include <bertcls/error.h>

namespace bertcls::test {

inline std::filesystem::path checkpoint_fixture(const std::string& relative) {
  return std::filesystem::path(BERTCLS_FIXTURES) / "checkpoints" / relative;
}

inline std::vector<std::byte> read_bytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::vector<char> chars((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::byte> bytes(chars.size());
  if (!chars.empty()) std::memcpy(bytes.data(), chars.data(), chars.size());
  return bytes;
}

inline void write_bytes(const std::filesystem::path& file, const std::vector<std::byte>& bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

inline std::vector<std::byte> to_bytes(const std::string& text) {
  std::vector<std::byte> bytes(text.size());
  if (!text.empty()) std::memcpy(bytes.data(), text.data(), text.size());
  return bytes;
}

// A fresh folder under the system temp dir, removed with everything in it.
class ScratchDir {
 public:
  ScratchDir() {
    std::random_device entropy;
    path_ = std::filesystem::temp_directory_path() /
            ("bertcls_io_" + std::to_string(::getpid()) + "_" + std::to_string(entropy()));
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Runs call, expecting bertcls::Error whose message contains every phrase.
inline void expect_error(const std::function<void()>& call, std::initializer_list<std::string> phrases) {
  try {
    call();
    ADD_FAILURE() << "no bertcls::Error thrown; expected one mentioning \"" << *phrases.begin() << "\"";
  } catch (const Error& e) {
    const std::string message = e.what();
    for (const auto& phrase : phrases) {
      EXPECT_NE(message.find(phrase), std::string::npos) << "message: " << message << "\nmissing: " << phrase;
    }
  }
}

}  // namespace bertcls::test
