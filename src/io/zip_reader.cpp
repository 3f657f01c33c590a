#include "io/zip_reader.h"

#include <array>
#include <cstring>
#include <set>

#include <bertcls/error.h>

namespace bertcls::io {
namespace {

constexpr uint32_t kLocalHeader = 0x04034b50;
constexpr uint32_t kCentralHeader = 0x02014b50;
constexpr uint32_t kEndOfCentralDirectory = 0x06054b50;
constexpr uint32_t kZip64End = 0x06064b50;
constexpr uint32_t kZip64Locator = 0x07064b50;

// Little-endian reads that fail with a message instead of reading past the buffer.
class Cursor {
 public:
  Cursor(std::span<const std::byte> bytes, const std::string& source) : bytes_(bytes), source_(source) {}

  template <typename T>
  T read(uint64_t offset, const char* what) const {
    require(offset, sizeof(T), what);
    T value;
    std::memcpy(&value, bytes_.data() + offset, sizeof(T));
    return value;
  }
  void require(uint64_t offset, uint64_t length, const char* what) const {
    if (offset > bytes_.size() || length > bytes_.size() - offset) {
      throw Error(source_ + ": truncated or corrupt zip: " + what + " (" + std::to_string(length) + " bytes at offset " +
                  std::to_string(offset) + ") lies outside the file (" + std::to_string(bytes_.size()) + " bytes)");
    }
  }
  std::span<const std::byte> slice(uint64_t offset, uint64_t length, const char* what) const {
    require(offset, length, what);
    return bytes_.subspan(offset, length);
  }

 private:
  std::span<const std::byte> bytes_;
  const std::string& source_;
};

struct Directory {
  uint64_t entries;
  uint64_t offset;
  uint64_t size;
};

Directory find_central_directory(std::span<const std::byte> bytes, const Cursor& at, const std::string& source) {
  // The end record sits in the last 22 + 65535 (comment) bytes; search backwards.
  if (bytes.size() < 22) throw Error(source + ": not a zip archive: " + std::to_string(bytes.size()) + " bytes");
  const uint64_t lowest = bytes.size() >= 22 + 65535 ? bytes.size() - 22 - 65535 : 0;
  uint64_t end = bytes.size() - 22;
  while (at.read<uint32_t>(end, "end of central directory") != kEndOfCentralDirectory) {
    if (end == lowest) throw Error(source + ": not a zip archive or truncated: no end of central directory record");
    --end;
  }
  if (at.read<uint16_t>(end + 4, "disk number") != 0 || at.read<uint16_t>(end + 6, "directory disk") != 0) {
    throw Error(source + ": multi-disk zip archives are not supported");
  }
  Directory dir{at.read<uint16_t>(end + 10, "entry count"), at.read<uint32_t>(end + 16, "directory offset"),
                at.read<uint32_t>(end + 12, "directory size")};
  if (end >= 20 && at.read<uint32_t>(end - 20, "zip64 locator") == kZip64Locator) {
    const auto record = at.read<uint64_t>(end - 20 + 8, "zip64 end record offset");
    if (at.read<uint32_t>(record, "zip64 end record") != kZip64End) {
      throw Error(source + ": corrupt zip: the zip64 locator points at offset " + std::to_string(record) +
                  ", which holds no zip64 end record");
    }
    dir = {at.read<uint64_t>(record + 32, "zip64 entry count"), at.read<uint64_t>(record + 48, "zip64 directory offset"),
           at.read<uint64_t>(record + 40, "zip64 directory size")};
  }
  at.require(dir.offset, dir.size, "central directory");
  // Each entry needs at least 46 bytes, so a claimed count beyond that is a lie.
  if (dir.entries > dir.size / 46) {
    throw Error(source + ": corrupt zip: " + std::to_string(dir.entries) + " entries cannot fit in a central directory of " +
                std::to_string(dir.size) + " bytes");
  }
  return dir;
}

// ZIP64 extended information: 64-bit values for the fields the header saturated.
void read_zip64_extra(const Cursor& at, uint64_t extra, uint64_t extra_end, uint64_t& uncompressed, uint64_t& compressed,
                      uint64_t& local_offset, const std::string& name, const std::string& source) {
  while (extra + 4 <= extra_end) {
    const auto id = at.read<uint16_t>(extra, "extra field id");
    const auto length = at.read<uint16_t>(extra + 2, "extra field length");
    if (extra + 4 + length > extra_end) throw Error(source + ": corrupt zip: entry \"" + name + "\" has a bad extra field");
    if (id == 0x0001) {
      uint64_t field = extra + 4;
      for (uint64_t* value : {&uncompressed, &compressed, &local_offset}) {
        if (*value != 0xFFFFFFFFu) continue;
        if (field + 8 > extra + 4 + length) throw Error(source + ": corrupt zip: entry \"" + name + "\" has a short zip64 field");
        *value = at.read<uint64_t>(field, "zip64 field");
        field += 8;
      }
    }
    extra += 4 + length;
  }
}

}  // namespace

uint32_t crc32(std::span<const std::byte> bytes) {
  // Slicing by 8: eight table lookups per 8 bytes, several times the byte-wise speed,
  // which matters for checkpoints of hundreds of megabytes.
  static const auto tables = [] {
    std::array<std::array<uint32_t, 256>, 8> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[0][i] = c;
    }
    for (uint32_t i = 0; i < 256; ++i) {
      for (int s = 1; s < 8; ++s) t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xFF];
    }
    return t;
  }();
  uint32_t crc = 0xFFFFFFFFu;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t n = bytes.size();
  while (n >= 8) {
    uint32_t lo, hi;
    std::memcpy(&lo, p, 4);
    std::memcpy(&hi, p + 4, 4);
    lo ^= crc;
    crc = tables[7][lo & 0xFF] ^ tables[6][(lo >> 8) & 0xFF] ^ tables[5][(lo >> 16) & 0xFF] ^ tables[4][lo >> 24] ^
          tables[3][hi & 0xFF] ^ tables[2][(hi >> 8) & 0xFF] ^ tables[1][(hi >> 16) & 0xFF] ^ tables[0][hi >> 24];
    p += 8;
    n -= 8;
  }
  while (n-- > 0) crc = tables[0][(crc ^ *p++) & 0xFF] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}

std::vector<ZipEntry> read_zip_entries(std::span<const std::byte> archive, const std::string& source) {
  const Cursor at(archive, source);
  const Directory dir = find_central_directory(archive, at, source);
  std::vector<ZipEntry> entries;
  std::set<std::string> names;
  uint64_t header = dir.offset;
  const uint64_t directory_end = dir.offset + dir.size;
  for (uint64_t i = 0; i < dir.entries; ++i) {
    if (header + 46 > directory_end || at.read<uint32_t>(header, "central directory entry") != kCentralHeader) {
      throw Error(source + ": corrupt zip: central directory entry " + std::to_string(i) + " is missing or damaged");
    }
    const auto flags = at.read<uint16_t>(header + 8, "entry flags");
    const auto method = at.read<uint16_t>(header + 10, "compression method");
    const auto crc = at.read<uint32_t>(header + 16, "entry CRC");
    uint64_t compressed = at.read<uint32_t>(header + 20, "compressed size");
    uint64_t uncompressed = at.read<uint32_t>(header + 24, "uncompressed size");
    const auto name_length = at.read<uint16_t>(header + 28, "name length");
    const auto extra_length = at.read<uint16_t>(header + 30, "extra length");
    const auto comment_length = at.read<uint16_t>(header + 32, "comment length");
    uint64_t local = at.read<uint32_t>(header + 42, "local header offset");
    const uint64_t next = header + 46 + name_length + extra_length + comment_length;
    if (next > directory_end) throw Error(source + ": corrupt zip: central directory entry " + std::to_string(i) + " overruns the directory");
    const auto name_bytes = at.slice(header + 46, name_length, "entry name");
    std::string name(reinterpret_cast<const char*>(name_bytes.data()), name_bytes.size());
    read_zip64_extra(at, header + 46 + name_length, header + 46 + name_length + extra_length, uncompressed, compressed, local,
                     name, source);

    if (flags & 0x1) throw Error(source + ": zip entry \"" + name + "\" is encrypted");
    if (method != 0 || compressed != uncompressed) {
      throw Error(source + ": zip entry \"" + name + "\" is compressed (method " + std::to_string(method) +
                  "); bertcls reads the stored entries torch.save writes");
    }
    if (at.read<uint32_t>(local, "local header") != kLocalHeader) {
      throw Error(source + ": corrupt zip: entry \"" + name + "\" has no local header at offset " + std::to_string(local));
    }
    const auto local_name_length = at.read<uint16_t>(local + 26, "local name length");
    const auto local_extra_length = at.read<uint16_t>(local + 28, "local extra length");
    const auto local_name = at.slice(local + 30, local_name_length, "local entry name");
    if (local_name.size() != name_bytes.size() || std::memcmp(local_name.data(), name_bytes.data(), name_bytes.size()) != 0) {
      throw Error(source + ": corrupt zip: entry \"" + name + "\" has a different name in its local header");
    }
    const auto data = at.slice(local + 30 + local_name_length + local_extra_length, uncompressed, "entry data");
    if (crc32(data) != crc) throw Error(source + ": corrupt zip: entry \"" + name + "\" fails its CRC-32 check");
    if (!names.insert(name).second) throw Error(source + ": corrupt zip: entry \"" + name + "\" appears twice");
    entries.push_back({std::move(name), data});
    header = next;
  }
  return entries;
}

}  // namespace bertcls::io
