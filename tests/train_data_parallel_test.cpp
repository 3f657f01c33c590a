// The pieces that make data-parallel training independent of the process count (the
// mpirun runs themselves are ctest train_mpi): a shard of a batch draws the whole batch's
// dropout masks and takes its share of the whole batch's loss, the gradient sum's wire
// form carries every bit, and shards and ranks split as documented.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include <bertcls/error.h>
#include "model/classification_loss.h"
#include "support/bert_fixture.h"
#include "train/data_parallel.h"
#include "train/gradient_sum.h"

namespace bertcls::train {
namespace {

// Five sequences of different lengths over the micro fixture's vocabulary of 99.
model::Batch five_sequences(std::size_t first = 0, std::size_t last = 5) {
  const std::vector<std::vector<std::int32_t>> sequences = {
      {2, 17, 45, 3}, {2, 8, 9, 10, 11, 12, 3}, {2, 60, 3}, {2, 33, 34, 35, 36, 3}, {2, 70, 71, 72, 73, 74, 75, 76, 3}};
  model::Batch batch;
  for (std::size_t i = first; i < last; ++i) {
    batch.add_sequence(sequences[i]);
    batch.class_labels.push_back(static_cast<std::int32_t>(i % 3));
  }
  return batch;
}

model::PackedOrigin origin_of(const model::Batch& whole, int sequences) {
  model::PackedOrigin origin{.sequences = static_cast<std::uint64_t>(sequences)};
  for (int b = 0; b < sequences; ++b) {
    const std::uint64_t L = whole.offsets[b + 1] - whole.offsets[b];
    origin.tokens += L;
    origin.squared_lengths += L * L;
  }
  return origin;
}

struct StepResult {
  std::vector<float> logits, grads;
  double loss;
};

StepResult step(model::BertClassifier& model, const model::Batch& batch, const model::PackedOrigin& origin,
                double denominator) {
  const auto logits = model.forward(batch, {.dropout = true, .backward = true, .seed = 21, .origin = origin});
  StepResult r{{logits.begin(), logits.end()}, {}, model.loss(batch, {}, denominator)};
  model.zero_grad();
  model.backward();
  r.grads.assign(model.grads().begin(), model.grads().end());
  return r;
}

double relative_difference(const std::vector<float>& a, const std::vector<float>& b) {
  double diff = 0.0, scale = 1e-12;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff = std::max(diff, static_cast<double>(std::fabs(a[i] - b[i])));
    scale = std::max(scale, static_cast<double>(std::fabs(b[i])));
  }
  return diff / scale;
}

TEST(DataParallel, ShardsOfABatchDrawItsDropoutMasksAndShareItsLoss) {
  model::BertClassifier model = test::generated_model("micro");
  const model::Batch whole = five_sequences();
  const StepResult full = step(model, whole, {}, 0.0);
  const double denominator = model::loss_denominator(model::ProblemType::single_label_classification,
                                                     whole.class_labels.data(), nullptr, 5, 3);
  // Shards [0, 2) and [2, 5), each placed where it sits in the whole batch.
  const StepResult a = step(model, five_sequences(0, 2), origin_of(whole, 0), denominator);
  const StepResult b = step(model, five_sequences(2, 5), origin_of(whole, 2), denominator);
  std::vector<float> logits = a.logits, grads = a.grads;
  logits.insert(logits.end(), b.logits.begin(), b.logits.end());
  for (std::size_t i = 0; i < grads.size(); ++i) grads[i] += b.grads[i];
  // Same masks: the same logits and, summed, the same gradient, up to float rounding.
  EXPECT_LE(relative_difference(logits, full.logits), 1e-6);
  EXPECT_LE(relative_difference(grads, full.grads), 1e-5);
  EXPECT_NEAR(a.loss + b.loss, full.loss, 1e-6);

  // Placed at the start instead, the second shard draws other masks: the test can fail.
  const StepResult misplaced = step(model, five_sequences(2, 5), {}, denominator);
  std::vector<float> wrong = a.grads;
  for (std::size_t i = 0; i < wrong.size(); ++i) wrong[i] += misplaced.grads[i];
  EXPECT_GT(relative_difference(wrong, full.grads), 1e-3);
}

std::vector<ParamSegment> segments_with_rows() {
  // 4 dense values, a table of 3 rows of 2, 2 dense values.
  return {{"a", 0, 4, true, 0}, {"rows", 4, 6, true, 2}, {"b", 10, 2, false, 0}};
}

TEST(GradientSum, WireFormCarriesEveryBitAndAddsAsTheGradientItself) {
  const std::vector<ParamSegment> segments = segments_with_rows();
  const std::vector<float> g = {1.5f, -0.0f, 3.0f, 1e-30f, 0.0f, 0.0f, 7.0f, -8.0f, 0.0f, 0.0f, 0.25f, -0.0f};
  const std::vector<std::int32_t> rows = {1};
  GradientSum direct(segments, g.size()), via_wire(segments, g.size()), copy(segments, g.size());
  direct.add(g, rows, 0.5);
  EncodedGradient wire;
  direct.encode(g, rows, 0.5, wire);
  via_wire.add(wire);
  EXPECT_EQ(0, std::memcmp(direct.values().data(), via_wire.values().data(), g.size() * sizeof(float)));
  EXPECT_EQ(via_wire.loss(), 0.5);

  // assign() copies, -0.0f included (an addition to +0 would turn it into +0).
  GradientSum signed_zero(segments, g.size());
  EncodedGradient raw;
  signed_zero.encode(g, rows, 1.0, raw);
  copy.assign(raw);
  EXPECT_TRUE(std::signbit(copy.values()[1]));
  EXPECT_FALSE(std::signbit(via_wire.values()[1]));
  EXPECT_EQ(std::vector<std::int32_t>(copy.rows().begin(), copy.rows().end()), rows);

  // A second gradient: new rows append in order, the sum is element by element.
  const std::vector<float> h(g.size(), 1.0f);
  const std::vector<std::int32_t> more = {2, 1};
  copy.add(h, more, 0.25);
  EXPECT_EQ(std::vector<std::int32_t>(copy.rows().begin(), copy.rows().end()), (std::vector<std::int32_t>{1, 2}));
  EXPECT_EQ(copy.values()[6], 8.0f);
  EXPECT_EQ(copy.values()[8], 1.0f);
  EXPECT_EQ(copy.values()[4], 0.0f);  // row 0: in neither
  EXPECT_EQ(copy.loss(), 1.25);
  copy.clear();
  for (float v : copy.values()) EXPECT_EQ(v, 0.0f);
  EXPECT_TRUE(copy.rows().empty());
}

TEST(GradientSum, RejectsMalformedMessagesAndRepeatedRows) {
  const std::vector<ParamSegment> segments = segments_with_rows();
  const std::vector<float> g(12, 1.0f);
  GradientSum sum(segments, g.size());
  EncodedGradient wire;
  sum.encode(g, std::vector<std::int32_t>{0, 2}, 0.0, wire);
  EncodedGradient truncated(wire.begin(), wire.end() - 1);
  EXPECT_THROW(sum.add(truncated), Error);
  EXPECT_THROW(sum.assign(truncated), Error);
  EncodedGradient bad_row = wire;
  const std::int32_t outside = 3;
  std::memcpy(bad_row.data() + 16 + 6 * sizeof(float), &outside, sizeof outside);  // the first row id
  EXPECT_THROW(sum.assign(bad_row), Error);
  EXPECT_THROW(sum.add(bad_row), Error);
  EXPECT_THROW(sum.add(g, std::vector<std::int32_t>{1, 1}, 0.0), Error);
  sum.assign(wire);
  EXPECT_EQ(sum.values()[4], 1.0f);
}

TEST(GradientSum, PiecesGiveWhatTheWholeGives) {
  // The pipelined chain: a sum passed on in pieces of dense values (one straddling the
  // rows segment), then its rows, ends as the sum passed whole.
  const std::vector<ParamSegment> segments = segments_with_rows();
  const std::vector<float> prefix = {1, 2, 3, 4, 5, 6, 0, 0, 7, 8, 9, 10}, own = {.5f, .5f, .5f, .5f, 0, 0, 0, 0, 1, 1, 2, 2};
  GradientSum sender(segments, 12), whole(segments, 12), pieces(segments, 12);
  sender.add(prefix, std::vector<std::int32_t>{0, 2}, 1.0);
  EncodedGradient message, own_encoded;
  sender.encode(message);
  whole.assign(message);
  whole.add(own, std::vector<std::int32_t>{2}, 0.5);
  sender.encode(own, std::vector<std::int32_t>{2}, 0.5, own_encoded);
  ASSERT_EQ(pieces.dense_size(), 6u);
  for (std::size_t lo = 0; lo < 6; lo += 3) {  // [0, 3) and [3, 6): the second spans values 3 and 10, 11
    sender.encode_dense(lo, lo + 3, message);
    pieces.assign_dense(lo, message);
    pieces.add_dense(lo, lo + 3, own_encoded);
  }
  sender.encode_rows(message);
  pieces.assign_rows(message);
  pieces.add_rows(own_encoded);
  EXPECT_EQ(std::vector<float>(pieces.values().begin(), pieces.values().end()),
            std::vector<float>(whole.values().begin(), whole.values().end()));
  EXPECT_EQ(std::vector<std::int32_t>(pieces.rows().begin(), pieces.rows().end()), (std::vector<std::int32_t>{0, 2}));
  EXPECT_EQ(pieces.loss(), 1.5);
  EXPECT_THROW(pieces.encode_dense(4, 7, message), Error);
}

TEST(DataParallel, ShardsAndRanksSplitAsDocumented) {
  // Example i is in shard i mod S in every batch; rank r of N runs shards [rS/N, (r+1)S/N).
  EXPECT_EQ(shard_of(0, 6), 0);
  EXPECT_EQ(shard_of(13, 6), 1);
  EXPECT_EQ(shard_of(13, 1), 0);
  EXPECT_EQ(rank_shards(6, 4, 0), (std::pair<std::int64_t, std::int64_t>{0, 1}));
  EXPECT_EQ(rank_shards(6, 4, 3), (std::pair<std::int64_t, std::int64_t>{4, 6}));
  std::int64_t covered = 0;
  for (int r = 0; r < 4; ++r) {
    const auto [first, last] = rank_shards(6, 4, r);
    EXPECT_EQ(first, covered);
    EXPECT_LT(first, last);  // with N <= S every rank has a shard
    covered = last;
  }
  EXPECT_EQ(covered, 6);
}

}  // namespace
}  // namespace bertcls::train
