// Data order: the seeded RNG, the stratified train/valid split and length-bucketed batches.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <numeric>

#include <bertcls/error.h>
#include "train/batching.h"
#include "train/seeded_shuffle.h"
#include "train/valid_split.h"

namespace bertcls::train {
namespace {

std::vector<io::Example> labelled(const std::vector<int>& labels) {
  std::vector<io::Example> out(labels.size());
  for (std::size_t i = 0; i < labels.size(); ++i) out[i].label = labels[i];
  return out;
}

std::vector<std::size_t> flatten(const std::vector<Batch>& batches) {
  std::vector<std::size_t> all;
  for (const Batch& b : batches) all.insert(all.end(), b.begin(), b.end());
  return all;
}

TEST(TrainRng, SameSeedSameSequenceAndStreamsDiffer) {
  SeededRng a(7), b(7), c(7, 1);
  std::vector<std::uint64_t> xa, xb, xc;
  for (int i = 0; i < 20; ++i) {
    xa.push_back(a.below(1000));
    xb.push_back(b.below(1000));
    xc.push_back(c.below(1000));
  }
  EXPECT_EQ(xa, xb);
  EXPECT_NE(xa, xc);
  for (std::uint64_t x : xa) EXPECT_LT(x, 1000u);
}

TEST(TrainRng, ShuffleIsAPermutationAndRoughlyUniform) {
  // 3! = 6 orders of {0,1,2} over 6000 shuffles: each near 1000.
  std::map<std::vector<int>, int> seen;
  SeededRng rng(1);
  for (int t = 0; t < 6000; ++t) {
    std::vector<int> v{0, 1, 2};
    rng.shuffle(std::span<int>(v));
    ++seen[v];
  }
  ASSERT_EQ(seen.size(), 6u);
  for (const auto& [order, count] : seen) EXPECT_NEAR(count, 1000, 120);
}

TEST(TrainValidSplit, StratifiedKeepsClassProportionsAndSizeIsCeil) {
  // 70 of class 0, 30 of class 1; 10% -> 7 and 3.
  std::vector<int> labels(100, 0);
  std::fill(labels.begin() + 70, labels.end(), 1);
  const auto ex = labelled(labels);
  const auto split = split_train_valid(ex, io::Task::SingleLabel, 0.1, 42);
  ASSERT_EQ(split.valid.size(), 10u);
  EXPECT_EQ(split.train.size(), 90u);
  const auto ones = std::count_if(split.valid.begin(), split.valid.end(), [&](std::size_t i) { return labels[i] == 1; });
  EXPECT_EQ(ones, 3);
  // 0.15 of 101 rows (71 + 30): ceil(15.15) = 16; floors 10 + 4, remainders .65 and .5 -> both get one.
  labels.push_back(0);
  const auto split2 = split_train_valid(labelled(labels), io::Task::SingleLabel, 0.15, 42);
  ASSERT_EQ(split2.valid.size(), 16u);
  EXPECT_EQ(std::count_if(split2.valid.begin(), split2.valid.end(), [&](std::size_t i) { return labels[i] == 1; }), 5);
}

TEST(TrainValidSplit, SameSeedSameSplitOtherSeedOtherRowsAndPartitionIsExact) {
  std::vector<int> labels(200);
  for (std::size_t i = 0; i < labels.size(); ++i) labels[i] = static_cast<int>(i % 3);
  const auto ex = labelled(labels);
  const auto a = split_train_valid(ex, io::Task::SingleLabel, 0.2, 5);
  const auto b = split_train_valid(ex, io::Task::SingleLabel, 0.2, 5);
  const auto c = split_train_valid(ex, io::Task::SingleLabel, 0.2, 6);
  EXPECT_EQ(a.valid, b.valid);
  EXPECT_NE(a.valid, c.valid);
  std::vector<std::size_t> all = a.train;
  all.insert(all.end(), a.valid.begin(), a.valid.end());
  std::sort(all.begin(), all.end());
  std::vector<std::size_t> want(200);
  std::iota(want.begin(), want.end(), std::size_t{0});
  EXPECT_EQ(all, want);
}

TEST(TrainValidSplit, MultiLabelStratifiesByLabelSetAndRegressionByNothing) {
  std::vector<io::Example> ex(40);
  for (std::size_t i = 0; i < ex.size(); ++i) ex[i].labels = i < 20 ? std::vector<int>{0, 1} : std::vector<int>{2};
  const auto split = split_train_valid(ex, io::Task::MultiLabel, 0.25, 1);
  ASSERT_EQ(split.valid.size(), 10u);
  EXPECT_EQ(std::count_if(split.valid.begin(), split.valid.end(), [](std::size_t i) { return i < 20; }), 5);
  EXPECT_EQ(split_train_valid(ex, io::Task::Regression, 0.25, 1).valid.size(), 10u);
}

TEST(TrainValidSplit, RejectsFractionsOutsideRangeOrLeavingNoTraining) {
  const auto ex = labelled({0, 1});
  EXPECT_THROW(split_train_valid(ex, io::Task::SingleLabel, 1.0, 1), Error);
  EXPECT_THROW(split_train_valid(ex, io::Task::SingleLabel, -0.1, 1), Error);
  EXPECT_THROW(split_train_valid(ex, io::Task::SingleLabel, 0.6, 1), Error);  // ceil(1.2) = 2 of 2
  EXPECT_TRUE(split_train_valid(ex, io::Task::SingleLabel, 0.0, 1).valid.empty());
}

TEST(TrainBatching, EveryExampleExactlyOncePerEpochInBatchesOfBatchSize) {
  std::vector<int> lengths(1003);
  for (std::size_t i = 0; i < lengths.size(); ++i) lengths[i] = static_cast<int>((i * 37) % 120 + 3);
  const auto batches = make_train_batches(lengths, 8, 11, 0, 10);
  auto all = flatten(batches);
  std::sort(all.begin(), all.end());
  std::vector<std::size_t> want(lengths.size());
  std::iota(want.begin(), want.end(), std::size_t{0});
  EXPECT_EQ(all, want);
  const auto small = std::count_if(batches.begin(), batches.end(), [](const Batch& b) { return b.size() != 8; });
  EXPECT_EQ(small, 1);  // 1003 = 12 chunks of 80 + 43: only the last chunk leaves a batch of 3
}

TEST(TrainBatching, BatchesGroupSimilarLengths) {
  std::vector<int> lengths(4000);
  SeededRng rng(3);
  for (int& l : lengths) l = static_cast<int>(rng.below(500)) + 1;
  // Spread of lengths inside a batch: bucketed ~ 500/50 = 10, a random batch ~ 500*(31/33).
  double bucketed = 0, random = 0;
  const auto batches = make_train_batches(lengths, 32, 1, 0);
  for (const Batch& b : batches) {
    auto [lo, hi] = std::minmax_element(b.begin(), b.end(), [&](std::size_t x, std::size_t y) { return lengths[x] < lengths[y]; });
    bucketed += lengths[*hi] - lengths[*lo];
  }
  const auto unbucketed = make_train_batches(lengths, 32, 1, 0, 1);
  for (const Batch& b : unbucketed) {
    auto [lo, hi] = std::minmax_element(b.begin(), b.end(), [&](std::size_t x, std::size_t y) { return lengths[x] < lengths[y]; });
    random += lengths[*hi] - lengths[*lo];
  }
  EXPECT_LT(bucketed / batches.size(), 25.0);
  EXPECT_GT(random / unbucketed.size(), 400.0);
}

TEST(TrainBatching, DeterministicForSeedAndEpochAndDifferentAcrossEpochs) {
  std::vector<int> lengths(300);
  for (std::size_t i = 0; i < lengths.size(); ++i) lengths[i] = static_cast<int>(i % 17);
  EXPECT_EQ(make_train_batches(lengths, 16, 9, 2), make_train_batches(lengths, 16, 9, 2));
  EXPECT_NE(make_train_batches(lengths, 16, 9, 2), make_train_batches(lengths, 16, 9, 3));
  EXPECT_NE(make_train_batches(lengths, 16, 9, 2), make_train_batches(lengths, 16, 10, 2));
  EXPECT_THROW(make_train_batches(lengths, 0, 9, 2), Error);
}

TEST(TrainBatching, EvalBatchesSortLongestFirstStablyAndRestoreByIndex) {
  const std::vector<int> lengths{5, 2, 9, 2, 7};
  const auto batches = make_eval_batches(lengths, 2);
  EXPECT_EQ(batches, (std::vector<Batch>{{2, 4}, {0, 1}, {3}}));
  // A "model" that returns each length doubled, written back by index, is in input order.
  std::vector<int> out(lengths.size());
  for (const Batch& b : batches)
    for (std::size_t i : b) out[i] = 2 * lengths[i];
  EXPECT_EQ(out, (std::vector<int>{10, 4, 18, 4, 14}));
  EXPECT_TRUE(make_eval_batches({}, 4).empty());
}

}  // namespace
}  // namespace bertcls::train
