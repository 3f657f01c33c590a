// Tokenizer throughput: encodes every line of a text file with bertcls, one thread, the
// best of --rounds passes; then once more with encode_batch on all threads. Run by
// bench/tokenize.sh beside Hugging Face's Rust tokenizer on the same texts.
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "text/tokenizer.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: tokenize_bench TOKENIZER_DIR TEXTS_FILE [ROUNDS=5]\n");
    return 2;
  }
  const auto tok = bertcls::text::Tokenizer::from_directory(argv[1]);
  std::vector<std::string> texts;
  std::ifstream f(argv[2], std::ios::binary);
  for (std::string line; std::getline(f, line);) texts.push_back(line);
  const int rounds = argc > 3 ? std::stoi(argv[3]) : 5;

  using clock = std::chrono::steady_clock;
  double best = 1e30;
  size_t tokens = 0;
  for (int r = 0; r < rounds; ++r) {
    tokens = 0;
    auto t0 = clock::now();
    for (const std::string& t : texts) tokens += tok.encode(t).size();
    best = std::min(best, std::chrono::duration<double>(clock::now() - t0).count());
  }
  std::printf("bertcls 1 thread: %.0f texts/s, %.0f tokens/s (%zu texts, %zu tokens, best of %d)\n",
              texts.size() / best, tokens / best, texts.size(), tokens, rounds);

  double best_batch = 1e30;
  for (int r = 0; r < rounds; ++r) {
    auto t0 = clock::now();
    auto all = tok.encode_batch(texts);
    best_batch = std::min(best_batch, std::chrono::duration<double>(clock::now() - t0).count());
  }
  std::printf("bertcls %d threads (encode_batch): %.0f texts/s\n", omp_get_max_threads(), texts.size() / best_batch);
  return 0;
}
