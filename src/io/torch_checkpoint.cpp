#include "io/torch_checkpoint.h"

#include <cstring>
#include <map>

#include <bertcls/error.h>
#include "io/mapped_file.h"
#include "io/pickle_reader.h"
#include "io/zip_reader.h"

namespace bertcls::io {
namespace {

constexpr std::string_view kDataPickle = "data.pkl";

// The archive's entries share a prefix ("archive/", or the saved file's stem in older
// torch versions); data.pkl directly under it is the state dict.
std::string find_prefix(const std::vector<ZipEntry>& entries, const std::string& source) {
  std::string prefix;
  bool found = false;
  for (const auto& entry : entries) {
    const auto slash = entry.name.find('/');
    if (slash == std::string::npos || entry.name.compare(slash + 1, std::string::npos, kDataPickle) != 0) continue;
    if (found) throw Error(source + ": the archive holds more than one data.pkl");
    prefix = entry.name.substr(0, slash + 1);
    found = true;
  }
  if (!found) throw Error(source + ": the archive holds no <name>/data.pkl: not a torch.save checkpoint");
  return prefix;
}

// A tensor is a strided view into its storage; bertcls wants it contiguous. Every index
// the view can reach is checked against the storage before any is read.
std::vector<float> materialize(const PickledTensor& t, std::span<const std::byte> storage) {
  uint64_t count = 1;
  uint64_t last = static_cast<uint64_t>(t.storage_offset);
  for (std::size_t d = 0; d < t.shape.size(); ++d) {
    const auto size = static_cast<uint64_t>(t.shape[d]);
    uint64_t reach = 0;
    if (__builtin_mul_overflow(count, size, &count) ||
        (size > 0 && (__builtin_mul_overflow(size - 1, static_cast<uint64_t>(t.stride[d]), &reach) ||
                      __builtin_add_overflow(last, reach, &last)))) {
      throw Error("shape and strides overflow");
    }
  }
  if (count == 0) return {};
  if (last >= t.storage_numel) {
    throw Error("the view reaches element " + std::to_string(last) + " of a storage of " + std::to_string(t.storage_numel));
  }
  const std::size_t element = element_size(t.type);
  std::vector<float> out(count);
  // Walk the view row by row along the last dimension; contiguous rows convert in one go.
  const std::size_t rank = t.shape.size();
  const uint64_t row = rank == 0 ? 1 : static_cast<uint64_t>(t.shape[rank - 1]);
  const int64_t row_stride = rank == 0 ? 1 : t.stride[rank - 1];
  std::vector<int64_t> index(rank, 0);
  for (uint64_t done = 0; done < count; done += row) {
    int64_t start = t.storage_offset;
    for (std::size_t d = 0; d + 1 < rank; ++d) start += index[d] * t.stride[d];
    if (row_stride == 1) {
      widen_to_fp32(t.type, storage.data() + start * element, row, out.data() + done);
    } else {
      for (uint64_t i = 0; i < row; ++i) {
        widen_to_fp32(t.type, storage.data() + (start + static_cast<int64_t>(i) * row_stride) * element, 1, out.data() + done + i);
      }
    }
    for (std::size_t d = rank - (rank > 0 ? 1 : 0); d-- > 0;) {
      if (++index[d] < t.shape[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

}  // namespace

std::vector<NamedTensor> parse_torch_checkpoint(std::span<const std::byte> bytes, const std::string& source) {
  if (bytes.size() >= 2 && bytes[0] == std::byte{0x80} && bytes[1] <= std::byte{0x05}) {
    throw Error(source + ": legacy (pre-1.6, non-zip) torch.save format is not supported; re-save it with a newer "
                         "torch.save or convert it to model.safetensors");
  }
  const auto entries = read_zip_entries(bytes, source);
  const std::string prefix = find_prefix(entries, source);
  std::map<std::string, std::span<const std::byte>> by_name;
  for (const auto& entry : entries) by_name[entry.name] = entry.data;

  if (const auto order = by_name.find(prefix + "byteorder"); order != by_name.end()) {
    const std::string_view value(reinterpret_cast<const char*>(order->second.data()), order->second.size());
    if (value != "little") throw Error(source + ": byteorder is \"" + std::string(value) + "\"; bertcls reads little-endian checkpoints");
  }

  const auto pickled = read_state_dict_pickle(by_name.at(prefix + std::string(kDataPickle)), source + ": " + prefix + "data.pkl");
  std::vector<NamedTensor> tensors;
  tensors.reserve(pickled.size());
  for (const auto& t : pickled) {
    try {
      const auto storage = by_name.find(prefix + "data/" + t.storage_key);
      if (storage == by_name.end()) throw Error("storage \"" + t.storage_key + "\" is missing from the archive");
      uint64_t bytes_needed = 0;
      if (__builtin_mul_overflow(t.storage_numel, element_size(t.type), &bytes_needed) || bytes_needed != storage->second.size()) {
        throw Error("storage \"" + t.storage_key + "\" has " + std::to_string(storage->second.size()) + " bytes, not the " +
                    std::to_string(t.storage_numel) + " elements its header claims");
      }
      tensors.push_back({t.name, t.shape, materialize(t, storage->second)});
    } catch (const Error& e) {
      throw Error(source + ": tensor \"" + t.name + "\": " + e.what());
    }
  }
  return tensors;
}

std::vector<NamedTensor> read_torch_checkpoint(const std::filesystem::path& file) {
  const MappedFile mapped(file);
  return parse_torch_checkpoint(mapped.bytes(), file.string());
}

}  // namespace bertcls::io
