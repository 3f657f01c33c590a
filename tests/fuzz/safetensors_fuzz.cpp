// Fuzz target: arbitrary bytes as model.safetensors. Refusal (bertcls::Error) is the
// expected outcome for most inputs; a crash, a sanitizer report or any other exception
// is a bug.
#include <cstddef>
#include <cstdint>
#include <span>

#include <bertcls/error.h>
#include "io/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    bertcls::io::parse_safetensors(std::as_bytes(std::span(data, size)), "fuzz.safetensors");
  } catch (const bertcls::Error&) {
  }
  return 0;
}
