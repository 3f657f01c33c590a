// Fuzz target: arbitrary bytes as the data.pkl of a torch checkpoint. The zip target
// rarely gets past the CRC-32 checks, so the pickle interpreter is fuzzed on its own.
#include <cstddef>
#include <cstdint>
#include <span>

#include <bertcls/error.h>
#include "io/pickle_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    bertcls::io::read_state_dict_pickle(std::as_bytes(std::span(data, size)), "fuzz.pkl");
  } catch (const bertcls::Error&) {
  }
  return 0;
}
