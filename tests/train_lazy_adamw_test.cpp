// AdamW lazy in the rows of one segment (the word embeddings) against dense AdamW: after
// a flush, parameters and both moments must hold the same bits, over many steps of a
// warm-up + linear schedule with weight decay and clipping, and across a checkpoint.
#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <vector>

#include <bertcls/error.h>
#include "train/adamw.h"
#include "train/grad_clip.h"
#include "train/lr_schedule.h"
#include "train/seeded_shuffle.h"

namespace bertcls::train {
namespace {

constexpr std::size_t kRows = 50, kRowSize = 8, kDense = 13;

// A table of kRows rows (lazy) between two plain tensors, one of them without decay.
std::vector<ParamSegment> segments() {
  return {{"bert.embeddings.word_embeddings.weight", 0, kRows * kRowSize, true, kRowSize},
          {"bert.encoder.layer.0.output.dense.weight", kRows * kRowSize, kDense, true},
          {"classifier.bias", kRows * kRowSize + kDense, 3, false}};
}
constexpr std::size_t kTotal = kRows * kRowSize + kDense + 3;

float uniform(SeededRng& rng) { return static_cast<float>(rng.below(2001)) / 1000.0f - 1.0f; }

// One step's gradients: the plain tensors everywhere, the table in a random few rows
// (repeats included, as a batch repeats tokens); +0 elsewhere, as zero_grad leaves them.
struct Batch {
  std::vector<float> grads = std::vector<float>(kTotal, 0.0f);
  std::vector<std::int32_t> rows;
};

Batch random_batch(SeededRng& rng) {
  Batch b;
  const auto touched = 1 + rng.below(6);
  for (std::uint64_t i = 0; i < touched; ++i) {
    const auto row = static_cast<std::int32_t>(rng.below(kRows));
    b.rows.push_back(row);
    for (std::size_t j = 0; j < kRowSize; ++j) b.grads[row * kRowSize + j] += 3.0f * uniform(rng);
  }
  for (std::size_t i = kRows * kRowSize; i < kTotal; ++i) b.grads[i] = uniform(rng);
  return b;
}

std::vector<float> initial_params() {
  SeededRng rng(5);
  std::vector<float> p(kTotal);
  for (float& x : p) x = uniform(rng);
  p[3] = -0.0f;  // signed zeros must come out as dense AdamW leaves them
  p[kRowSize + 1] = 0.0f;
  return p;
}

void expect_same_bits(std::span<const float> a, std::span<const float> b, const char* what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (std::size_t i = 0; i < a.size(); ++i)
    ASSERT_EQ(std::memcmp(&a[i], &b[i], sizeof(float)), 0) << what << " [" << i << "]: " << a[i] << " vs " << b[i];
}

void expect_same_state(const std::vector<float>& pa, const AdamW& a, const std::vector<float>& pb, const AdamW& b) {
  EXPECT_EQ(a.steps_taken(), b.steps_taken());
  expect_same_bits(pa, pb, "params");
  expect_same_bits(a.exp_avg(), b.exp_avg(), "exp_avg");
  expect_same_bits(a.exp_avg_sq(), b.exp_avg_sq(), "exp_avg_sq");
}

struct RunOptions {
  AdamWOptions options;
  LinearWarmupSchedule schedule{1e-2, 6, 70};
  float max_grad_norm = 1.5f;
};

// Takes steps [first, last) of the run; lazy ones pass the touched rows.
void train(const RunOptions& run, AdamW& adamw, std::vector<float>& params, bool lazy, std::int64_t first,
           std::int64_t last, std::uint64_t seed = 11) {
  SeededRng rng(seed);
  for (std::int64_t k = 0; k < last; ++k) {
    Batch b = random_batch(rng);
    if (k < first) continue;
    if (lazy) {
      clip_grad_norm(b.grads, segments(), run.max_grad_norm, b.rows);
      adamw.step(params, b.grads, run.schedule.lr(k), b.rows);
    } else {
      clip_grad_norm(b.grads, segments(), run.max_grad_norm);
      adamw.step(params, b.grads, run.schedule.lr(k));
    }
  }
}

std::vector<RunOptions> runs() {
  RunOptions torch;
  torch.options.weight_decay = 0.05;
  RunOptions transformers;
  transformers.options = AdamWOptions::transformers_no_bias_correction();
  transformers.options.weight_decay = 0.05;
  RunOptions no_decay;  // keep = 1 exactly, and no clipping
  no_decay.max_grad_norm = 1e9f;
  RunOptions no_eps = torch;  // rows never touched turn NaN (0/0) in dense AdamW too
  no_eps.options.eps = 0.0;
  return {torch, transformers, no_decay, no_eps};
}

TEST(TrainLazyAdamW, MatchesDenseBitForBitAfterAFlush) {
  for (const RunOptions& run : runs()) {
    SCOPED_TRACE(std::string(run.options.bias_correction ? "torch" : "transformers") + " decay " +
                 std::to_string(run.options.weight_decay) + " eps " + std::to_string(run.options.eps));
    std::vector<float> dense_params = initial_params(), lazy_params = initial_params();
    AdamW dense(segments(), run.options), lazy(segments(), run.options);
    train(run, dense, dense_params, false, 0, 70);
    train(run, lazy, lazy_params, true, 0, 70);
    EXPECT_FALSE(lazy.flushed());
    lazy.flush(lazy_params);
    EXPECT_TRUE(lazy.flushed());
    expect_same_state(dense_params, dense, lazy_params, lazy);
  }
}

// What a forward pass reads is current without a flush: catch_up() brings the rows of a
// batch's tokens (repeats, any order) to what dense AdamW holds, and only those.
TEST(TrainLazyAdamW, CaughtUpRowsAreCurrentBeforeAnyFlush) {
  const RunOptions run = runs()[0];
  std::vector<float> dense_params = initial_params(), lazy_params = initial_params();
  AdamW dense(segments(), run.options), lazy(segments(), run.options);
  train(run, dense, dense_params, false, 0, 40);
  train(run, lazy, lazy_params, true, 0, 40);
  const std::vector<float> before = lazy_params;
  const std::vector<std::int32_t> ids{7, 3, 7, 49};
  lazy.catch_up(lazy_params, ids);
  EXPECT_FALSE(lazy.flushed());
  for (std::size_t r = 0; r < kRows; ++r) {
    const bool caught_up = r == 3 || r == 7 || r == 49;
    const std::vector<float>& want = caught_up ? dense_params : before;
    expect_same_bits({lazy_params.data() + r * kRowSize, kRowSize}, {want.data() + r * kRowSize, kRowSize},
                     caught_up ? "caught-up row" : "other row");
  }
  for (const std::size_t r : {3, 7, 49}) {
    expect_same_bits(lazy.exp_avg().subspan(r * kRowSize, kRowSize), dense.exp_avg().subspan(r * kRowSize, kRowSize), "m");
    expect_same_bits(lazy.exp_avg_sq().subspan(r * kRowSize, kRowSize), dense.exp_avg_sq().subspan(r * kRowSize, kRowSize), "v");
  }
  const std::vector<std::int32_t> bad{static_cast<std::int32_t>(kRows)};
  EXPECT_THROW(lazy.catch_up(lazy_params, bad), Error);
}

// A run that flushes now and then (evaluations, checkpoints) or mixes in dense steps is
// the same run.
TEST(TrainLazyAdamW, FlushesAndDenseStepsInBetweenChangeNothing) {
  const RunOptions run = runs()[0];
  std::vector<float> dense_params = initial_params(), lazy_params = initial_params();
  AdamW dense(segments(), run.options), lazy(segments(), run.options);
  train(run, dense, dense_params, false, 0, 60);
  std::int64_t at = 0;
  for (const std::int64_t next : {7, 8, 30, 31, 45, 60}) {
    train(run, lazy, lazy_params, next != 31, at, next);  // step 30 is dense
    lazy.flush(lazy_params);
    lazy.flush(lazy_params);  // twice is once
    at = next;
  }
  expect_same_state(dense_params, dense, lazy_params, lazy);
}

// What a checkpoint keeps (parameters, moments, step count, all flushed) continues the
// run exactly, in a fresh optimizer.
TEST(TrainLazyAdamW, ACheckpointMidRunResumesAsTheUninterruptedRun) {
  const RunOptions run = runs()[0];
  std::vector<float> whole_params = initial_params();
  AdamW whole(segments(), run.options);
  train(run, whole, whole_params, true, 0, 66);
  whole.flush(whole_params);

  std::vector<float> params = initial_params();
  AdamW first(segments(), run.options);
  train(run, first, params, true, 0, 29);
  first.flush(params);
  const std::vector<float> m(first.exp_avg().begin(), first.exp_avg().end());
  const std::vector<float> v(first.exp_avg_sq().begin(), first.exp_avg_sq().end());
  AdamW second(segments(), run.options);
  second.restore(m, v, first.steps_taken());
  train(run, second, params, true, 29, 66);
  second.flush(params);
  expect_same_state(whole_params, whole, params, second);
}

// A NaN gradient everywhere (clipping by a NaN norm) is a step where every row counts as
// touched; the rows then hold NaN as dense AdamW leaves them.
TEST(TrainLazyAdamW, EveryRowTouchedIsADenseStep) {
  const RunOptions run = runs()[0];
  std::vector<float> dense_params = initial_params(), lazy_params = initial_params();
  AdamW dense(segments(), run.options), lazy(segments(), run.options);
  train(run, dense, dense_params, false, 0, 10);
  train(run, lazy, lazy_params, true, 0, 10);
  std::vector<float> nan_grads(kTotal, std::numeric_limits<float>::quiet_NaN());
  std::vector<std::int32_t> all(kRows);
  for (std::size_t r = 0; r < kRows; ++r) all[r] = static_cast<std::int32_t>(r);
  dense.step(dense_params, nan_grads, 1e-3);
  lazy.step(lazy_params, nan_grads, 1e-3, all);
  lazy.flush(lazy_params);
  expect_same_state(dense_params, dense, lazy_params, lazy);
}

TEST(TrainLazyAdamW, RejectsBadRowsAndRowSizes) {
  AdamW adamw(segments(), {});
  std::vector<float> p(kTotal), g(kTotal);
  const std::vector<std::int32_t> out_of_range{static_cast<std::int32_t>(kRows)}, negative{-1};
  EXPECT_THROW(adamw.step(p, g, 0.1, out_of_range), Error);
  EXPECT_THROW(adamw.step(p, g, 0.1, negative), Error);
  EXPECT_EQ(adamw.steps_taken(), 0);
  EXPECT_THROW(AdamW({{"a", 0, 10, true, 3}}, {}), Error);                      // 3 does not divide 10
  EXPECT_THROW(AdamW({{"a", 0, 10, true, 5}, {"b", 10, 4, true, 2}}, {}), Error);  // two tables
}

}  // namespace
}  // namespace bertcls::train
