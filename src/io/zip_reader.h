// The subset of the zip format torch.save writes: stored (uncompressed) entries, a
// central directory, and ZIP64 records (torch always writes them; needed past 4 GB).
// Every offset and size is checked against the buffer and every entry's CRC-32 is
// verified, so a truncated or corrupted archive is refused with a sentence.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace bertcls::io {

struct ZipEntry {
  std::string name;
  std::span<const std::byte> data;  // points into the archive's bytes
};

// Entries in central-directory order. Throws bertcls::Error "SOURCE: problem"; a
// compressed or encrypted entry is refused by name.
std::vector<ZipEntry> read_zip_entries(std::span<const std::byte> archive, const std::string& source);

// The CRC-32 zip uses (polynomial 0xEDB88320).
uint32_t crc32(std::span<const std::byte> bytes);

}  // namespace bertcls::io
