// Fuzz target: arbitrary bytes as pytorch_model.bin (zip reader, then pickle reader
// and tensor materialisation). Only bertcls::Error may come out.
#include <cstddef>
#include <cstdint>
#include <span>

#include <bertcls/error.h>
#include "io/torch_checkpoint.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    bertcls::io::parse_torch_checkpoint(std::as_bytes(std::span(data, size)), "fuzz.bin");
  } catch (const bertcls::Error&) {
  }
  return 0;
}
