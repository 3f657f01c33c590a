// A read-only view of a whole file's bytes (mmap), so parsers work on memory and the
// fuzzers can feed them bytes directly.
#pragma once

#include <cstddef>
#include <filesystem>
#include <span>

namespace bertcls::io {

class MappedFile {
 public:
  // Throws bertcls::Error "FILE: cannot open: reason" (also for directories).
  explicit MappedFile(const std::filesystem::path& file);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::span<const std::byte> bytes() const { return {static_cast<const std::byte*>(data_), size_}; }

 private:
  void* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace bertcls::io
