#include "io/safetensors.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <string_view>

#include <bertcls/error.h>
#include "io/atomic_file.h"
#include "io/element_type.h"
#include "io/mapped_file.h"
#include "io/strict_json.h"

namespace bertcls::io {
namespace {

// The safetensors reference implementation refuses larger headers too.
constexpr uint64_t kMaxHeaderBytes = 100'000'000;

struct TensorEntry {
  std::string name;
  ElementType type;
  std::vector<int64_t> shape;
  uint64_t begin;
  uint64_t end;
};

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

// Validates one header entry against the data section's size; throws plain messages
// that the caller prefixes with the file and tensor name.
TensorEntry parse_entry(const std::string& name, const nlohmann::json& info, uint64_t data_size) {
  if (!info.is_object()) throw Error("entry is not an object");
  for (const auto& [key, value] : info.items()) {
    if (key != "dtype" && key != "shape" && key != "data_offsets") throw Error("unexpected field \"" + key + "\"");
  }
  if (!info.contains("dtype") || !info["dtype"].is_string()) throw Error("dtype missing or not a string");
  const std::string dtype = info["dtype"].get<std::string>();
  const auto type = element_type_from_safetensors(dtype);
  if (!type) throw Error("dtype \"" + dtype + "\" is not supported (bertcls reads F32, F16, BF16)");

  if (!info.contains("shape") || !info["shape"].is_array()) throw Error("shape missing or not an array");
  TensorEntry entry{name, *type, {}, 0, 0};
  uint64_t count = 1;
  for (const auto& dim : info["shape"]) {
    if (!dim.is_number_unsigned()) throw Error("shape " + dim.dump() + " has a dimension that is not a non-negative integer");
    const uint64_t d = dim.get<uint64_t>();
    if (d > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) || __builtin_mul_overflow(count, d, &count)) {
      throw Error("shape " + info["shape"].dump() + " overflows");
    }
    entry.shape.push_back(static_cast<int64_t>(d));
  }

  const auto& offsets = info.contains("data_offsets") ? info["data_offsets"] : nlohmann::json();
  if (!offsets.is_array() || offsets.size() != 2 || !offsets[0].is_number_unsigned() || !offsets[1].is_number_unsigned()) {
    throw Error("data_offsets must be two non-negative integers, got " + offsets.dump());
  }
  entry.begin = offsets[0].get<uint64_t>();
  entry.end = offsets[1].get<uint64_t>();
  if (entry.begin > entry.end) throw Error("data_offsets " + offsets.dump() + " end before they begin");
  if (entry.end > data_size) {
    throw Error("data_offsets " + offsets.dump() + " lie outside the data section (" + std::to_string(data_size) + " bytes)");
  }
  uint64_t bytes = 0;
  if (__builtin_mul_overflow(count, element_size(*type), &bytes) || bytes != entry.end - entry.begin) {
    throw Error("shape " + shape_text(entry.shape) + " of " + dtype + " does not match data_offsets " + offsets.dump() +
                " (" + std::to_string(entry.end - entry.begin) + " bytes)");
  }
  return entry;
}

void check_metadata(const nlohmann::json& metadata) {
  if (!metadata.is_object()) throw Error("__metadata__ is not an object");
  for (const auto& [key, value] : metadata.items()) {
    if (!value.is_string()) throw Error("__metadata__ \"" + key + "\" is not a string");
  }
}

}  // namespace

std::vector<NamedTensor> parse_safetensors(std::span<const std::byte> bytes, const std::string& source) {
  if (bytes.size() < 8) {
    throw Error(source + ": truncated: " + std::to_string(bytes.size()) + " bytes, too short for the 8-byte header length");
  }
  uint64_t header_size = 0;
  std::memcpy(&header_size, bytes.data(), 8);  // little-endian, as the format and this CPU are
  if (header_size > kMaxHeaderBytes) {
    throw Error(source + ": header length " + std::to_string(header_size) + " exceeds the 100 MB limit");
  }
  if (header_size > bytes.size() - 8) {
    throw Error(source + ": truncated: header length " + std::to_string(header_size) + " runs past the end of the file (" +
                std::to_string(bytes.size()) + " bytes)");
  }
  const std::string_view header_text(reinterpret_cast<const char*>(bytes.data()) + 8, header_size);
  const nlohmann::json header = parse_json_strict(header_text, source + ": header");
  if (!header.is_object()) throw Error(source + ": header is not a JSON object");

  const uint64_t data_size = bytes.size() - 8 - header_size;
  const std::byte* data = bytes.data() + 8 + header_size;
  std::vector<TensorEntry> entries;
  for (const auto& [name, info] : header.items()) {
    try {
      if (name == "__metadata__") {
        check_metadata(info);
      } else {
        if (name.empty()) throw Error("empty tensor name");
        entries.push_back(parse_entry(name, info, data_size));
      }
    } catch (const Error& e) {
      throw Error(source + ": tensor \"" + name + "\": " + e.what());
    }
  }

  // The spec forbids holes and overlaps: sorted by offset, the tensors tile the data.
  std::stable_sort(entries.begin(), entries.end(), [](const TensorEntry& a, const TensorEntry& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  uint64_t covered = 0;
  for (const auto& entry : entries) {
    if (entry.begin < covered) {
      throw Error(source + ": tensor \"" + entry.name + "\": data_offsets [" + std::to_string(entry.begin) + ", " +
                  std::to_string(entry.end) + "] overlap the previous tensor (which ends at " + std::to_string(covered) + ")");
    }
    if (entry.begin > covered) {
      throw Error(source + ": gap in the data section: bytes " + std::to_string(covered) + " to " +
                  std::to_string(entry.begin) + " belong to no tensor");
    }
    covered = entry.end;
  }
  if (covered != data_size) {
    throw Error(source + ": the data section has " + std::to_string(data_size) + " bytes but the tensors cover " +
                std::to_string(covered));
  }

  std::vector<NamedTensor> tensors;
  tensors.reserve(entries.size());
  for (const auto& entry : entries) {
    NamedTensor tensor{entry.name, entry.shape, {}};
    const std::size_t count = (entry.end - entry.begin) / element_size(entry.type);
    tensor.data.resize(count);
    try {
      widen_to_fp32(entry.type, data + entry.begin, count, tensor.data.data());
    } catch (const Error& e) {
      throw Error(source + ": tensor \"" + entry.name + "\": " + e.what());
    }
    tensors.push_back(std::move(tensor));
  }
  return tensors;
}

std::vector<NamedTensor> read_safetensors(const std::filesystem::path& file) {
  const MappedFile mapped(file);
  return parse_safetensors(mapped.bytes(), file.string());
}

void write_safetensors(const std::filesystem::path& file, const std::vector<TensorRef>& tensors,
                       const std::map<std::string, std::string>& metadata) {
  nlohmann::json header = nlohmann::json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  uint64_t offset = 0;
  for (const auto& tensor : tensors) {
    if (tensor.name.empty() || tensor.name == "__metadata__" || header.contains(tensor.name)) {
      throw Error(file.string() + ": cannot save tensor \"" + tensor.name + "\": empty, reserved or duplicate name");
    }
    uint64_t count = 1;
    for (const int64_t d : tensor.shape) {
      if (d < 0) throw Error(file.string() + ": cannot save tensor \"" + tensor.name + "\": negative dimension");
      count *= static_cast<uint64_t>(d);
    }
    header[tensor.name] = {{"dtype", "F32"}, {"shape", tensor.shape}, {"data_offsets", {offset, offset + 4 * count}}};
    offset += 4 * count;
  }
  std::string header_text = header.dump();
  // Pad with spaces to a multiple of 8 so the data section is aligned, as the reference
  // writer does.
  header_text.append((8 - header_text.size() % 8) % 8, ' ');

  write_file_atomically(file, [&](std::ostream& out) {
    const uint64_t header_size = header_text.size();
    out.write(reinterpret_cast<const char*>(&header_size), 8);
    out.write(header_text.data(), static_cast<std::streamsize>(header_text.size()));
    for (const auto& tensor : tensors) {
      std::size_t count = 1;
      for (const int64_t d : tensor.shape) count *= static_cast<std::size_t>(d);
      if (count > 0) out.write(reinterpret_cast<const char*>(tensor.data), static_cast<std::streamsize>(4 * count));
    }
  });
}

}  // namespace bertcls::io
