#include "train/valid_split.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include <bertcls/error.h>
#include "train/seeded_shuffle.h"

namespace bertcls::train {

TrainValidSplit split_train_valid(const std::vector<io::Example>& examples, io::Task task, double fraction,
                                  std::uint64_t seed) {
  if (!(fraction >= 0.0 && fraction < 1.0))
    throw Error("valid_split must lie in [0, 1), got " + std::to_string(fraction));
  const std::size_t n = examples.size();
  const auto n_valid = static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(n)));
  if (n_valid >= n)
    throw Error("valid_split " + std::to_string(fraction) + " of " + std::to_string(n) +
                " examples leaves none for training");

  std::map<std::vector<int>, std::vector<std::size_t>> strata;  // ordered: deterministic
  for (std::size_t i = 0; i < n; ++i) {
    const io::Example& ex = examples[i];
    std::vector<int> key = task == io::Task::SingleLabel  ? std::vector<int>{ex.label}
                           : task == io::Task::MultiLabel ? ex.labels
                                                          : std::vector<int>{};
    strata[std::move(key)].push_back(i);
  }

  struct Share {
    std::vector<std::size_t>* rows;
    std::size_t take;
    double remainder;
  };
  std::vector<Share> shares;
  std::size_t taken = 0;
  for (auto& [key, rows] : strata) {
    const double exact = fraction * static_cast<double>(rows.size());
    const auto whole = static_cast<std::size_t>(std::floor(exact));
    shares.push_back({&rows, whole, exact - static_cast<double>(whole)});
    taken += whole;
  }
  std::vector<std::size_t> by_remainder(shares.size());
  for (std::size_t s = 0; s < shares.size(); ++s) by_remainder[s] = s;
  std::stable_sort(by_remainder.begin(), by_remainder.end(),
                   [&](std::size_t a, std::size_t b) { return shares[a].remainder > shares[b].remainder; });
  for (std::size_t k = 0; taken < n_valid; k = (k + 1) % shares.size()) {
    Share& s = shares[by_remainder[k]];
    if (s.take < s.rows->size()) {
      ++s.take;
      ++taken;
    }
  }

  SeededRng rng(seed);
  TrainValidSplit split;
  for (Share& s : shares) {
    std::vector<std::size_t> rows = *s.rows;
    rng.shuffle(std::span<std::size_t>(rows));
    split.valid.insert(split.valid.end(), rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(s.take));
    split.train.insert(split.train.end(), rows.begin() + static_cast<std::ptrdiff_t>(s.take), rows.end());
  }
  std::sort(split.train.begin(), split.train.end());
  std::sort(split.valid.begin(), split.valid.end());
  return split;
}

}  // namespace bertcls::train
