// AdamW, the linear warm-up schedule and gradient clipping against PyTorch 1.13
// trajectories (tests/fixtures/optimizer/trajectories.json, made by
// tools/make_optimizer_fixtures.py): each step clips the recorded gradients, takes the
// scheduled learning rate and updates; parameters, norms and moments must agree.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>

#include <bertcls/error.h>
#include "train/adamw.h"
#include "train/class_weights.h"
#include "train/grad_clip.h"
#include "train/grad_mean.h"
#include "train/lr_schedule.h"
#include "train/seeded_shuffle.h"

namespace bertcls::train {
namespace {

nlohmann::json load_trajectories() {
  std::ifstream in(std::string(BERTCLS_FIXTURES) + "/optimizer/trajectories.json");
  return nlohmann::json::parse(in);
}

std::vector<ParamSegment> segments_of(const nlohmann::json& fixture) {
  std::vector<ParamSegment> segments;
  std::size_t offset = 0;
  for (const auto& p : fixture["params"]) {
    const std::string name = p["name"];
    const std::size_t size = p["size"];
    segments.push_back({name, offset, size, trainer_applies_weight_decay(name)});
    offset += size;
  }
  return segments;
}

// Relative to the vector's largest magnitude: single elements that come out of a
// cancellation (a moment crossing zero) carry float rounding of the larger terms.
void expect_close(const std::vector<float>& got, const std::vector<float>& want, double rel, const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  double scale = 0.0, worst = 0.0;
  for (float w : want) scale = std::max(scale, std::fabs(static_cast<double>(w)));
  for (std::size_t i = 0; i < got.size(); ++i) worst = std::max(worst, std::fabs(static_cast<double>(got[i]) - want[i]));
  EXPECT_LE(worst, rel * scale) << what << ": worst difference " << worst << " at scale " << scale;
}

TEST(TrainOptimizer, WeightDecayGroupsFollowTrainerNaming) {
  const auto fixture = load_trajectories();
  for (const auto& p : fixture["params"])
    EXPECT_EQ(trainer_applies_weight_decay(p["name"].get<std::string>()), p["decay"].get<bool>()) << p["name"];
  EXPECT_TRUE(trainer_applies_weight_decay("bert.encoder.layer.3.intermediate.dense.weight"));
  EXPECT_FALSE(trainer_applies_weight_decay("bert.encoder.layer.3.output.LayerNorm.weight"));
  EXPECT_FALSE(trainer_applies_weight_decay("bert.encoder.layer.3.output.LayerNorm.bias"));
  EXPECT_FALSE(trainer_applies_weight_decay("classifier.bias"));
  // DistilBERT's LayerNorm modules, which the Trainer finds by type.
  EXPECT_FALSE(trainer_applies_weight_decay("distilbert.transformer.layer.0.sa_layer_norm.weight"));
  EXPECT_FALSE(trainer_applies_weight_decay("distilbert.transformer.layer.0.output_layer_norm.weight"));
  EXPECT_TRUE(trainer_applies_weight_decay("distilbert.transformer.layer.0.ffn.lin1.weight"));
}

TEST(TrainOptimizer, MatchesPyTorchTrajectories) {
  const auto fixture = load_trajectories();
  const auto segments = segments_of(fixture);
  for (const auto& c : fixture["cases"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    AdamWOptions options = c["optimizer"] == "torch" ? AdamWOptions{} : AdamWOptions::transformers_no_bias_correction();
    options.beta1 = c["betas"][0];
    options.beta2 = c["betas"][1];
    options.eps = c["eps"];
    options.weight_decay = c["weight_decay"];
    AdamW adamw(segments, options);
    const LinearWarmupSchedule schedule{c["lr"], c["warmup_steps"], c["total_steps"]};
    std::vector<float> params = c["initial_params"];
    std::int64_t step = 0;
    for (const auto& s : c["steps"]) {
      std::vector<float> grads = s["grads"];
      if (!c["max_grad_norm"].is_null()) {
        const float norm = clip_grad_norm(grads, segments, c["max_grad_norm"].get<float>());
        EXPECT_NEAR(norm, s["total_norm"].get<double>(), 1e-6 * s["total_norm"].get<double>()) << "step " << step;
      }
      EXPECT_NEAR(schedule.lr(step), s["lr"].get<double>(), 1e-12) << "step " << step;
      adamw.step(params, grads, schedule.lr(step));
      expect_close(params, s["params_after"], 1e-6, "params after step " + std::to_string(step));
      ++step;
    }
    EXPECT_EQ(adamw.steps_taken(), step);
    expect_close({adamw.exp_avg().begin(), adamw.exp_avg().end()}, c["exp_avg"], 1e-6, "exp_avg");
    expect_close({adamw.exp_avg_sq().begin(), adamw.exp_avg_sq().end()}, c["exp_avg_sq"], 1e-6, "exp_avg_sq");
  }
}

TEST(TrainOptimizer, TransformersVariantDefaultsToEps1e6WithoutBiasCorrection) {
  const auto o = AdamWOptions::transformers_no_bias_correction();
  EXPECT_DOUBLE_EQ(o.eps, 1e-6);
  EXPECT_FALSE(o.bias_correction);
  EXPECT_DOUBLE_EQ(AdamWOptions{}.eps, 1e-8);
}

TEST(TrainOptimizer, SegmentsMayComeInAnyOrderButMustTileTheBuffer) {
  AdamW shuffled({{"b", 2, 1, false}, {"a", 0, 2, true}}, {});
  EXPECT_EQ(shuffled.num_params(), 3u);
  EXPECT_THROW(AdamW({{"a", 0, 2, true}, {"b", 3, 1, true}}, {}), Error);  // gap
  EXPECT_THROW(AdamW({{"a", 0, 2, true}, {"b", 1, 2, true}}, {}), Error);  // overlap
}

TEST(TrainOptimizer, RejectsBadHyperparametersAndSizes) {
  AdamWOptions bad;
  bad.beta2 = 1.0;
  EXPECT_THROW(AdamW({{"a", 0, 2, true}}, bad), Error);
  AdamW ok({{"a", 0, 2, true}}, {});
  std::vector<float> p(3), g(3);
  EXPECT_THROW(ok.step(p, g, 0.1), Error);
}

TEST(TrainSchedule, LinearWarmupMatchesHuggingFaceLambda) {
  // warmup 3 of 8: 0, 1/3, 2/3, then (8-k)/5.
  const double want[] = {0.0, 1.0 / 3, 2.0 / 3, 1.0, 0.8, 0.6, 0.4, 0.2, 0.0, 0.0};
  for (int k = 0; k < 10; ++k) EXPECT_DOUBLE_EQ(linear_warmup_multiplier(k, 3, 8), want[k]) << k;
  EXPECT_DOUBLE_EQ(linear_warmup_multiplier(0, 0, 4), 1.0);
  EXPECT_DOUBLE_EQ(linear_warmup_multiplier(3, 0, 4), 0.25);
}

TEST(TrainSchedule, WarmupRatioRoundsUpLikeTrainingArguments) {
  EXPECT_EQ(warmup_steps_from_ratio(0.1, 95), 10);  // ceil(9.5)
  EXPECT_EQ(warmup_steps_from_ratio(0.1, 100), 10);
  EXPECT_EQ(warmup_steps_from_ratio(0.0, 100), 0);
  EXPECT_THROW(warmup_steps_from_ratio(1.5, 100), Error);
  EXPECT_THROW(warmup_steps_from_ratio(-0.1, 100), Error);
}

TEST(TrainGradClip, NormIsNormOfPerTensorNormsAndSmallGradsStayUntouched) {
  std::vector<ParamSegment> segs{{"a", 0, 2, true}, {"b", 2, 1, false}};
  std::vector<float> g{3.0f, 4.0f, 12.0f};  // tensor norms 5 and 12, total 13
  EXPECT_FLOAT_EQ(global_grad_norm(g, segs), 13.0f);
  EXPECT_FLOAT_EQ(clip_grad_norm(g, segs, 100.0f), 13.0f);
  EXPECT_EQ(g, (std::vector<float>{3.0f, 4.0f, 12.0f}));
  clip_grad_norm(g, segs, 1.0f);
  EXPECT_NEAR(g[2], 12.0f / (13.0f + 1e-6f), 1e-7);
}

TEST(TrainGradClip, NonFiniteNormPropagatesAsTorchDoes) {
  std::vector<ParamSegment> segs{{"a", 0, 2, true}};
  std::vector<float> nan_grads{std::numeric_limits<float>::quiet_NaN(), 1.0f};
  EXPECT_TRUE(std::isnan(clip_grad_norm(nan_grads, segs, 1.0f)));
  EXPECT_TRUE(std::isnan(nan_grads[1]));
  std::vector<float> inf_grads{std::numeric_limits<float>::infinity(), 1.0f};
  EXPECT_TRUE(std::isinf(clip_grad_norm(inf_grads, segs, 1.0f)));
  EXPECT_EQ(inf_grads[1], 0.0f);  // scaled by max_norm / inf = 0
  EXPECT_TRUE(std::isnan(inf_grads[0]));
}

// Told which rows of a table hold gradients, the norm and the clipped gradients are the
// dense ones, bit for bit: tables over several summing blocks (16384 elements), rows that
// straddle two blocks, a last block whose length is not a multiple of the 8 lanes.
TEST(TrainGradClip, TouchedRowsGiveTheDenseNormAndScale) {
  constexpr std::size_t kRowSize = 37, kRows = 999;  // 36963 elements: blocks of 16384, 16384, 4195
  const std::vector<ParamSegment> segs{{"bias", 0, 5, false}, {"table", 5, kRows * kRowSize, true, kRowSize}};
  SeededRng rng(9);
  for (const float max_norm : {1e9f, 0.5f, std::numeric_limits<float>::quiet_NaN()}) {
    std::vector<float> grads(5 + kRows * kRowSize, 0.0f);
    std::vector<std::int32_t> rows{442, 998, 0, 442, 885};  // 442 and 885 straddle blocks; a repeat
    for (int i = 0; i < 40; ++i) rows.push_back(static_cast<std::int32_t>(rng.below(kRows)));
    for (std::int32_t r : rows)
      for (std::size_t j = 0; j < kRowSize; ++j)
        grads[5 + r * kRowSize + j] = static_cast<float>(rng.below(20001)) / 1e4f - 1.0f;
    for (std::size_t i = 0; i < 5; ++i) grads[i] = 0.25f * static_cast<float>(i);
    std::vector<float> dense = grads;
    const float want = global_grad_norm(dense, segs), got = global_grad_norm(grads, segs, rows);
    EXPECT_EQ(std::bit_cast<std::uint32_t>(want), std::bit_cast<std::uint32_t>(got));
    // A NaN max_norm makes the factor NaN: then the untouched zeros turn NaN as well.
    EXPECT_EQ(std::bit_cast<std::uint32_t>(clip_grad_norm(dense, segs, max_norm)),
              std::bit_cast<std::uint32_t>(clip_grad_norm(grads, segs, max_norm, rows)));
    EXPECT_EQ(std::memcmp(dense.data(), grads.data(), grads.size() * sizeof(float)), 0) << "max_norm " << max_norm;
  }
}

TEST(TrainGradMean, TouchedRowsGiveTheDenseDivision) {
  const std::vector<ParamSegment> segs{{"table", 0, 40, true, 8}, {"bias", 40, 3, false}};
  std::vector<float> grads(43, 0.0f);
  const std::vector<std::int32_t> rows{4, 1, 4};  // a repeat is divided once
  for (std::size_t j = 0; j < 8; ++j) grads[8 + j] = grads[32 + j] = 0.3f * static_cast<float>(j) - 1.0f;
  grads[9] = -0.0f;
  grads[33] = std::numeric_limits<float>::quiet_NaN();
  grads[40] = 7.0f;
  std::vector<float> dense = grads;
  for (float& g : dense) g /= 3.0f;
  divide_by_group(grads, segs, 3, rows);
  EXPECT_EQ(std::memcmp(dense.data(), grads.data(), grads.size() * sizeof(float)), 0);
}

TEST(TrainClassWeights, BalancedIsSamplesOverClassesTimesCount) {
  // 6 samples, 2 classes: class 0 has 4 -> 6/(2*4) = 0.75, class 1 has 2 -> 1.5.
  const std::vector<int> y{0, 0, 1, 0, 1, 0};
  EXPECT_EQ(balanced_class_weights(y, 2), (std::vector<float>{0.75f, 1.5f}));
  // Class 2 absent: n_classes counts the 2 present ones, class 2 gets the unused weight 1.
  EXPECT_EQ(balanced_class_weights(y, 3), (std::vector<float>{0.75f, 1.5f, 1.0f}));
  EXPECT_THROW(balanced_class_weights(std::vector<int>{0, 5}, 2), Error);
  EXPECT_THROW(balanced_class_weights(std::vector<int>{}, 2), Error);
}

}  // namespace
}  // namespace bertcls::train
