// Seeded randomness for data order (splits, epoch shuffles) that gives the same result
// for the same seed on every platform: std::mt19937_64's output sequence is fixed by the
// C++ standard, but std::shuffle and std::uniform_int_distribution are not, so the
// bounded draw and the Fisher-Yates shuffle are written here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <utility>

namespace bertcls::train {

class SeededRng {
 public:
  // Streams for the same seed but another purpose (e.g. epoch number) stay independent.
  explicit SeededRng(std::uint64_t seed, std::uint64_t stream = 0);

  // Uniform in [0, n), n > 0, without modulo bias.
  std::uint64_t below(std::uint64_t n);

  template <typename T>
  void shuffle(std::span<T> items) {
    for (std::size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[below(i)]);
  }

 private:
  std::mt19937_64 engine_;
};

}  // namespace bertcls::train
