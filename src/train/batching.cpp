#include "train/batching.h"

#include <algorithm>
#include <numeric>

#include <bertcls/error.h>
#include "train/seeded_shuffle.h"

namespace bertcls::train {

namespace {

void sort_by_length(std::span<std::size_t> indices, std::span<const int> lengths) {
  std::stable_sort(indices.begin(), indices.end(), [&](std::size_t a, std::size_t b) { return lengths[a] < lengths[b]; });
}

void cut(std::span<const std::size_t> indices, std::size_t batch_size, std::vector<Batch>& out) {
  for (std::size_t b = 0; b < indices.size(); b += batch_size)
    out.emplace_back(indices.begin() + static_cast<std::ptrdiff_t>(b),
                     indices.begin() + static_cast<std::ptrdiff_t>(std::min(indices.size(), b + batch_size)));
}

void check_batch_size(std::size_t batch_size) {
  if (batch_size == 0) throw Error("batch_size must be at least 1");
}

}  // namespace

std::vector<Batch> make_train_batches(std::span<const int> lengths, std::size_t batch_size, std::uint64_t seed,
                                      std::uint64_t epoch, std::size_t bucket_batches) {
  check_batch_size(batch_size);
  SeededRng rng(seed, epoch);
  std::vector<std::size_t> order(lengths.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  rng.shuffle(std::span<std::size_t>(order));

  const std::size_t chunk = batch_size * std::max<std::size_t>(1, bucket_batches);
  std::vector<Batch> batches;
  for (std::size_t start = 0; start < order.size(); start += chunk) {
    std::span<std::size_t> part(order.data() + start, std::min(chunk, order.size() - start));
    sort_by_length(part, lengths);
    cut(part, batch_size, batches);
  }
  rng.shuffle(std::span<Batch>(batches));
  return batches;
}

std::vector<Batch> make_eval_batches(std::span<const int> lengths, std::size_t batch_size) {
  check_batch_size(batch_size);
  std::vector<std::size_t> order(lengths.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return lengths[a] > lengths[b]; });
  std::vector<Batch> batches;
  cut(order, batch_size, batches);
  return batches;
}

}  // namespace bertcls::train
