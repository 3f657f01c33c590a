// Seeded normal(0, scale) test data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

namespace bertcls::test {

inline std::vector<float> random_vector(std::size_t n, uint32_t seed, float scale = 1.0f) {
  std::mt19937 gen(seed);
  std::normal_distribution<float> normal(0.0f, scale);
  std::vector<float> v(n);
  for (float& x : v) x = normal(gen);
  return v;
}

}  // namespace bertcls::test
