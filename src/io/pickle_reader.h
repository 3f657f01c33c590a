// Reads the pickle torch.save writes for a state dict without executing anything: a
// stack machine that knows the opcodes such a pickle uses (protocol 2, plus the few
// protocol 4 ones newer writers emit) and an allow-list of globals (OrderedDict,
// torch._utils._rebuild_tensor_v2 / _rebuild_parameter, torch.*Storage). Anything else
// (os.system, builtins.eval, ...) is refused by name before it could matter.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "io/element_type.h"

namespace bertcls::io {

// One tensor of the state dict: a strided view into a storage of the archive.
struct PickledTensor {
  std::string name;
  std::string storage_key;     // the archive entry is <prefix>/data/<storage_key>
  ElementType type;
  uint64_t storage_numel;      // elements the storage holds, as its persistent id says
  int64_t storage_offset;      // in elements
  std::vector<int64_t> shape;
  std::vector<int64_t> stride; // in elements
};

// Tensors in state-dict order. Throws bertcls::Error "SOURCE: problem" for malformed
// pickles and for anything that is not a flat {name: tensor} dict.
std::vector<PickledTensor> read_state_dict_pickle(std::span<const std::byte> pickle, const std::string& source);

}  // namespace bertcls::io
