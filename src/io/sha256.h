// SHA-256, to verify LFS blobs against the hash the hub announces (X-Linked-Etag)
// before they enter the cache. Incremental, so a resumed download hashes the part
// already on disk and then the bytes as they arrive.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace bertcls::io {

class Sha256 {
 public:
  Sha256();
  void update(const void* data, size_t size);
  void update(std::string_view s) { update(s.data(), s.size()); }
  // The bytes of `file`; throws Error naming it when it cannot be read.
  void update_file(const std::filesystem::path& file);
  // Lowercase hex of the 32-byte digest; the object is spent afterwards.
  std::string hex_digest();

 private:
  void compress(const uint8_t block[64]);
  std::array<uint32_t, 8> state_;
  uint8_t buffer_[64];
  size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

std::string sha256_file(const std::filesystem::path& file);

}  // namespace bertcls::io
