// Runs a fuzz target without libFuzzer, as a quick CI check: every file of a seed
// corpus, then a fixed number of deterministic random mutations of them (bit flips,
// byte overwrites with boundary values, insertions, deletions, truncations, copied
// chunks). Any crash, sanitizer report or escaping exception fails the run.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

using Bytes = std::vector<uint8_t>;

Bytes read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void mutate(Bytes& b, std::mt19937_64& rng) {
  const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % (n == 0 ? 1 : n)); };
  static const uint8_t boundary[] = {0x00, 0x01, 0x7F, 0x80, 0xFF, 0xFE, '"', '{', '}', '[', ']', ',', ':', '-', '9'};
  switch (rng() % 7) {
    case 0:
      if (!b.empty()) b[pick(b.size())] ^= static_cast<uint8_t>(1u << (rng() % 8));
      break;
    case 1:
      if (!b.empty()) b[pick(b.size())] = boundary[pick(sizeof boundary)];
      break;
    case 2:
      b.insert(b.begin() + static_cast<std::ptrdiff_t>(pick(b.size() + 1)), static_cast<uint8_t>(rng()));
      break;
    case 3:
      if (!b.empty()) b.erase(b.begin() + static_cast<std::ptrdiff_t>(pick(b.size())));
      break;
    case 4:
      b.resize(pick(b.size() + 1));
      break;
    case 5: {  // a 4- or 8-byte field set to an extreme (lengths, offsets, counts)
      const std::size_t width = rng() % 2 ? 4 : 8;
      if (b.size() < width) break;
      const std::size_t at = pick(b.size() - width + 1);
      const uint64_t value = rng() % 2 ? ~uint64_t{0} : (uint64_t{1} << (rng() % 63));
      for (std::size_t i = 0; i < width; ++i) b[at + i] = static_cast<uint8_t>(value >> (8 * i));
      break;
    }
    default: {  // copy a chunk elsewhere
      if (b.size() < 2) break;
      const std::size_t from = pick(b.size()), length = 1 + pick(std::min<std::size_t>(64, b.size() - from));
      const Bytes chunk(b.begin() + static_cast<std::ptrdiff_t>(from), b.begin() + static_cast<std::ptrdiff_t>(from + length));
      b.insert(b.begin() + static_cast<std::ptrdiff_t>(pick(b.size() + 1)), chunk.begin(), chunk.end());
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR MUTATIONS\n", argv[0]);
    return 2;
  }
  std::vector<Bytes> seeds;
  for (const auto& entry : std::filesystem::directory_iterator(argv[1])) seeds.push_back(read_file(entry.path()));
  if (seeds.empty()) {
    std::fprintf(stderr, "no seeds in %s\n", argv[1]);
    return 2;
  }
  for (const auto& seed : seeds) LLVMFuzzerTestOneInput(seed.data(), seed.size());
  std::mt19937_64 rng(20261125);
  const long runs = std::stol(argv[2]);
  for (long i = 0; i < runs; ++i) {
    Bytes input = seeds[rng() % seeds.size()];
    for (int k = 1 + static_cast<int>(rng() % 8); k > 0; --k) mutate(input, rng);
    LLVMFuzzerTestOneInput(input.data(), input.size());
  }
  std::printf("%zu seeds and %ld mutations ran clean\n", seeds.size(), runs);
  return 0;
}
