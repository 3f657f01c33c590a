#include "io/torch_checkpoint.h"

#include "common/error.h"
#include "io/mapped_file.h"

namespace bertcls::io {

std::vector<NamedTensor> parse_torch_checkpoint(std::span<const std::byte> bytes, const std::string& source) {
  throw Error(source + ": reading pytorch_model.bin is being implemented (io branch)");
}

std::vector<NamedTensor> read_torch_checkpoint(const std::filesystem::path& file) {
  const MappedFile mapped(file);
  return parse_torch_checkpoint(mapped.bytes(), file.string());
}

}  // namespace bertcls::io
