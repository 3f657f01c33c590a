// Counter-based random numbers: a value is a pure function of (seed, stream, index), so
// dropout needs no stored mask (backward recomputes it), parallel loops need no shared
// state, and a training step is reproduced from its seed alone.
#pragma once

#include <cstdint>

namespace bertcls::tensor {

// splitmix64's finaliser: a bijection on 64 bits with full avalanche.
inline uint64_t mix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// A stream of uniforms keyed by (seed, stream); stream separates e.g. dropout sites.
struct CounterRng {
  uint64_t key;
  CounterRng(uint64_t seed, uint64_t stream) : key(mix64(mix64(seed) ^ stream)) {}
  // Uniform in [0, 1) with 24 random bits: exactly representable as float.
  float uniform(uint64_t index) const {
    return static_cast<float>(mix64(key ^ mix64(index)) >> 40) * (1.0f / 16777216.0f);
  }
};

}  // namespace bertcls::tensor
