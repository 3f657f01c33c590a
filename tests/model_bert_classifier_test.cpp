// BertClassifier's behaviour beyond parity: dropout reproducibility, inference buffers,
// gradient accumulation, the parameter buffer's layout, and input errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "support/bert_fixture.h"
#include <bertcls/error.h>

namespace bertcls::model {
namespace {

Batch micro_batch() { return test::ParityCase("micro_single_padded").batch(); }

std::vector<float> run(BertClassifier& model, const Batch& batch, const StepOptions& options) {
  auto l = model.forward(batch, options);
  return {l.begin(), l.end()};
}

TEST(BertClassifier, TrainModeDropoutIsReproducibleFromItsSeedAndEvalIsDeterministic) {
  BertClassifier model = test::generated_model("micro");
  const Batch batch = micro_batch();
  const auto a = run(model, batch, {.dropout = true, .backward = true, .seed = 7});
  const auto b = run(model, batch, {.dropout = true, .backward = true, .seed = 7});
  const auto c = run(model, batch, {.dropout = true, .backward = true, .seed = 8});
  const auto eval1 = run(model, batch, {});
  const auto eval2 = run(model, batch, {});
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_EQ(eval1, eval2);
  EXPECT_NE(a, eval1);
  // The gradients of a dropout step are reproduced too.
  auto step_grads = [&](uint64_t seed) {
    model.forward(batch, {.dropout = true, .backward = true, .seed = seed});
    model.loss(batch);
    model.zero_grad();
    model.backward();
    return std::vector<float>(model.grads().begin(), model.grads().end());
  };
  EXPECT_EQ(step_grads(3), step_grads(3));
}

TEST(BertClassifier, TrainModeGradientsMatchFiniteDifferencesOfTheSameDropoutMasks) {
  // With a fixed seed a training step is a fixed function of the parameters, so central
  // differences check that backward replays every dropout site's mask (all sites: the
  // embeddings, each layer's attention probabilities and outputs, the classifier).
  BertClassifier model = test::generated_model("micro");
  const Batch batch = micro_batch();
  const StepOptions train{.dropout = true, .backward = true, .seed = 11};
  auto loss_at = [&] {
    model.forward(batch, train);
    return static_cast<double>(model.loss(batch));
  };
  loss_at();
  model.zero_grad();
  model.backward();
  const std::vector<float> grads(model.grads().begin(), model.grads().end());
  const float eps = 1e-2f;
  for (const NamedParameter& np : model.named_parameters()) {
    if (np.name.ends_with("attention.self.key.bias")) continue;  // zero in exact arithmetic
    double scale = 1e-9, worst = 0.0;
    for (size_t i = 0; i < np.count; i++) scale = std::max(scale, (double)std::fabs(grads[np.offset + i]));
    // Eight entries spread over the tensor.
    for (size_t k = 0; k < 8; k++) {
      const size_t i = np.offset + (k * 7919) % np.count;
      float& w = model.parameters()[i];
      const float saved = w;
      w = saved + eps;
      const double up = loss_at();
      w = saved - eps;
      const double down = loss_at();
      w = saved;
      worst = std::max(worst, std::fabs((up - down) / (2.0 * eps) - grads[i]) / scale);
    }
    EXPECT_LE(worst, 2e-2) << np.name;
  }
}

TEST(BertClassifier, InferenceBuffersGiveTheSameLogitsAsTrainingBuffers) {
  // Without .backward the layers share one set of activation buffers.
  BertClassifier model = test::generated_model("tiny2_single");
  const Batch batch = test::ParityCase("tiny2_single_pairs").batch();
  EXPECT_EQ(run(model, batch, {}), run(model, batch, {.backward = true}));
}

TEST(BertClassifier, BackwardAccumulatesUntilZeroGrad) {
  BertClassifier model = test::generated_model("micro");
  const Batch batch = micro_batch();
  model.forward(batch, {.backward = true});
  model.loss(batch);
  model.zero_grad();
  model.backward();
  const std::vector<float> once(model.grads().begin(), model.grads().end());
  model.backward();
  // Twice the gradient, up to the rounding of adding in a different order.
  for (size_t i = 0; i < once.size(); i++) ASSERT_NEAR(model.grads()[i], 2.0f * once[i], 1e-6f) << i;
  model.zero_grad();
  EXPECT_TRUE(std::all_of(model.grads().begin(), model.grads().end(), [](float g) { return g == 0.0f; }));
}

TEST(BertClassifier, NamedParametersAreTheSlicesTheEngineUses) {
  BertClassifier model = test::generated_model("micro");
  const float* base = model.parameters().data();
  std::map<std::string, const float*> views = {
      {"bert.embeddings.word_embeddings.weight", model.tensors().wte},
      {"bert.encoder.layer.0.attention.self.query.weight", model.tensors().qkvw},
      {"bert.encoder.layer.1.attention.self.value.weight", model.tensors().qkvw + (3 + 2) * 32 * 32},
      {"bert.encoder.layer.1.intermediate.dense.bias", model.tensors().fcb + 37},
      {"bert.encoder.layer.1.output.LayerNorm.weight", model.tensors().ln2w + 32},
      {"classifier.bias", model.tensors().clsb}};
  size_t total = 0;
  for (const NamedParameter& np : model.named_parameters()) {
    if (views.count(np.name)) {
      EXPECT_EQ(base + np.offset, views[np.name]) << np.name;
    }
    EXPECT_EQ(np.offset, total) << np.name;
    total += np.count;
  }
  EXPECT_EQ(total, model.parameters().size());
}

TEST(BertClassifier, RejectsInputsTheCheckpointCannotEmbed) {
  BertClassifier model = test::generated_model("micro");
  Batch batch;
  batch.add_sequence(std::vector<int32_t>{2, 5, 99});
  EXPECT_THROW(model.forward(batch), Error);  // vocab is 99
  batch.clear();
  batch.add_sequence(std::vector<int32_t>(41, 5));
  EXPECT_THROW(model.forward(batch), Error);  // 40 positions
  batch.clear();
  batch.add_sequence(std::vector<int32_t>{2, 5}, std::vector<int32_t>{0, 2});
  EXPECT_THROW(model.forward(batch), Error);  // 2 token types
  batch.clear();
  batch.add_sequence(std::vector<int32_t>{2, 5});
  model.forward(batch);
  batch.class_labels = {3};
  EXPECT_THROW(model.loss(batch), Error);  // 3 labels: 0..2
}

TEST(Batch, PacksRightPaddedRowsAndRejectsOtherMasks) {
  const std::vector<int32_t> ids = {2, 7, 8, 0, 2, 9, 0, 0}, types = {0, 0, 1, 0, 0, 0, 0, 0};
  Batch b = Batch::from_padded(ids, types, std::vector<int32_t>{1, 1, 1, 0, 1, 1, 0, 0}, 2, 4);
  EXPECT_EQ(b.ids, (std::vector<int32_t>{2, 7, 8, 2, 9}));
  EXPECT_EQ(b.type_ids, (std::vector<int32_t>{0, 0, 1, 0, 0}));
  EXPECT_EQ(b.offsets, (std::vector<int32_t>{0, 3, 5}));
  EXPECT_THROW(Batch::from_padded(ids, types, std::vector<int32_t>{0, 1, 1, 1, 1, 1, 0, 0}, 2, 4), Error);
  EXPECT_THROW(Batch::from_padded(ids, types, std::vector<int32_t>{1, 1, 1, 0, 0, 0, 0, 0}, 2, 4), Error);
}

}  // namespace
}  // namespace bertcls::model
