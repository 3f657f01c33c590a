// BertClassifier against the PyTorch reference of the BERT-family classifiers
// (tools/reference_bert.py): logits within 1e-4 absolute, every parameter's gradient
// within 1e-3 of the tensor's largest gradient, dropout off, on padded batches of mixed
// lengths, sentence pairs with token types, and every head; on a micro model and on
// rubert-tiny2's architecture (vocabulary cut to 512 rows), and on RoBERTa, DistilBERT and
// ELECTRA at micro size and at the real shapes of roberta-base, distilbert-base and
// electra-small (vocabularies cut the same way).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "hf/pretrained.h"
#include "support/bert_fixture.h"
#include "support/trajectory.h"
#include "tensor/packed_linear.h"

namespace bertcls::model {
namespace {

using test::ParityCase;

struct CaseSpec {
  const char* name;
  const char* model;
};

class BertParity : public ::testing::TestWithParam<CaseSpec> {};

BertClassifier model_for(const std::string& name) {
  const auto dir = test::bert_fixtures() / name;
  if (!std::filesystem::exists(dir / "model.safetensors")) return test::generated_model(name);
  test::LoadedClassifier loaded = test::load_classifier(dir);
  EXPECT_TRUE(loaded.report.missing.empty() && loaded.report.unexpected.empty());
  // The committed file holds exactly what the generator computes: C++ and numpy agree.
  BertClassifier generated = test::generated_model(name);
  EXPECT_TRUE(std::equal(generated.parameters().begin(), generated.parameters().end(),
                         loaded.model.parameters().begin()));
  return std::move(loaded.model);
}

TEST_P(BertParity, LogitsLossAndEveryGradientMatchTheReference) {
  const CaseSpec spec = GetParam();
  const ParityCase ref(spec.name);
  BertClassifier model = model_for(spec.model);
  const Batch batch = ref.batch();

  auto logits = model.forward(batch, {.backward = true});
  const auto& want = ref.at("logits").data;
  ASSERT_EQ(logits.size(), want.size());
  double logit_dev = 0.0;
  for (size_t i = 0; i < want.size(); i++) logit_dev = std::max(logit_dev, (double)std::fabs(logits[i] - want[i]));
  EXPECT_LE(logit_dev, 1e-4);

  std::vector<float> weights;
  if (ref.has("class_weights")) weights = ref.at("class_weights").data;
  const float loss = model.loss(batch, weights);
  EXPECT_NEAR(loss, ref.at("loss").data[0], 1e-5);
  model.zero_grad();
  model.backward();

  // Deviations are relative to each tensor's largest reference gradient, except for the
  // attention key biases: adding a constant to a row of scores leaves its softmax
  // unchanged, so their gradient is zero in exact arithmetic and both sides hold rounding
  // noise; those are held to 1e-5 of the model's largest gradient, absolutely.
  auto absmax_of = [&](const NamedParameter& np) {
    if (ref.has("grad_absmax/" + np.name)) return (double)ref.at("grad_absmax/" + np.name).data[0];
    double m = 0.0;
    for (float x : ref.at("grad/" + np.name).data) m = std::max(m, (double)std::fabs(x));
    return m;
  };
  double model_scale = 0.0;
  for (const NamedParameter& np : model.named_parameters()) model_scale = std::max(model_scale, absmax_of(np));

  double grad_dev = 0.0;
  std::string worst;
  const float* grads = model.grads().data();
  for (const NamedParameter& np : model.named_parameters()) {
    const float* g = grads + np.offset;
    if (!np.trainable) {  // fixed (sinusoidal positions): no gradient at all, as in torch
      EXPECT_TRUE(std::all_of(g, g + np.count, [](float x) { return x == 0.0f; })) << np.name;
      continue;
    }
    const bool zero_in_exact_arithmetic =
        np.name.ends_with("attention.self.key.bias") || np.name.ends_with("attention.k_lin.bias");
    const double scale = zero_in_exact_arithmetic ? model_scale * 1e-2 : absmax_of(np);
    double dev = 0.0;
    if (ref.has("grad/" + np.name)) {
      const auto& r = ref.at("grad/" + np.name).data;
      ASSERT_EQ(r.size(), np.count) << np.name;
      for (size_t i = 0; i < np.count; i++) dev = std::max(dev, std::fabs((double)g[i] - r[i]));
      dev /= scale;
    } else {
      const auto& idx = ref.at("grad_index/" + np.name).data;
      const auto& sample = ref.at("grad_sample/" + np.name).data;
      for (size_t i = 0; i < idx.size(); i++) dev = std::max(dev, std::fabs((double)g[(size_t)idx[i]] - sample[i]));
      dev /= scale;
      if (zero_in_exact_arithmetic) continue;
      double norm = 0.0;
      for (size_t i = 0; i < np.count; i++) norm += (double)g[i] * g[i];
      const double want_norm = ref.at("grad_norm/" + np.name).data[0];
      EXPECT_NEAR(std::sqrt(norm), want_norm, 1e-3 * want_norm + 1e-12) << np.name;
    }
    EXPECT_LE(dev, 1e-3) << np.name;
    if (dev > grad_dev && !zero_in_exact_arithmetic) grad_dev = dev, worst = np.name;
  }

  // Inference's path: the dense layers packed once for oneDNN (GELU fused), as the
  // pipeline's ClassifierModel runs them.
  model.weights().prepack(tensor::Precision::fp32);
  auto packed_logits = model.forward(batch, {});
  double packed_dev = 0.0;
  for (size_t i = 0; i < want.size(); i++) packed_dev = std::max(packed_dev, (double)std::fabs(packed_logits[i] - want[i]));
  EXPECT_LE(packed_dev, 1e-4) << "packed fp32 inference";
  std::cout << spec.name << ": largest logit deviation " << logit_dev << " (packed inference " << packed_dev << "), loss "
            << std::fabs(loss - ref.at("loss").data[0]) << ", largest relative gradient deviation " << grad_dev << " ("
            << worst << ")\n";
}

INSTANTIATE_TEST_SUITE_P(Cases, BertParity,
                         ::testing::Values(CaseSpec{"micro_single_padded", "micro"},
                                           CaseSpec{"micro_pairs_weighted", "micro"},
                                           CaseSpec{"micro_multi_label", "micro"},
                                           CaseSpec{"micro_regression", "micro_regression"},
                                           CaseSpec{"tiny2_single_pairs", "tiny2_single"},
                                           CaseSpec{"tiny2_multi_label", "tiny2_multi"},
                                           CaseSpec{"tiny2_regression", "tiny2_regression"},
                                           CaseSpec{"roberta_single_padded", "micro_roberta"},
                                           CaseSpec{"distilbert_single_padded", "micro_distilbert"},
                                           CaseSpec{"distilbert_sinusoidal", "micro_distilbert_sinusoidal"},
                                           CaseSpec{"electra_pairs", "micro_electra"},
                                           CaseSpec{"roberta_base_single", "roberta_base_shape"},
                                           CaseSpec{"distilbert_base_single", "distilbert_base_shape"},
                                           CaseSpec{"electra_small_pairs", "electra_small_shape"}),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace bertcls::model

namespace bertcls::model {
namespace {

// A few fine-tuning steps of each non-BERT family against PyTorch (make_bert_fixtures.py's
// trajectories): the parity case's batch every step, AdamW in the Trainer's groups, the
// linear warm-up schedule and gradient clipping, as `bertcls train` composes them.
class FamilyTrajectory : public ::testing::TestWithParam<CaseSpec> {};

TEST_P(FamilyTrajectory, LossesNormsAndFinalLogitsFollowPyTorch) {
  const CaseSpec spec = GetParam();
  std::ifstream in(test::bert_fixtures() / "trajectories" / (std::string(spec.name) + ".json"));
  const nlohmann::json want = nlohmann::json::parse(in);
  const ParityCase ref(spec.name);
  BertClassifier model = test::generated_model(spec.model);
  const Batch batch = ref.batch();
  const std::vector<float> before(model.parameters().begin(), model.parameters().end());
  const test::TrajectoryDeviation dev = test::follow_trajectory(model, batch, want, "final_logits");
  EXPECT_LE(dev.loss, 2e-5);
  EXPECT_LE(dev.logits, 1e-4);
  for (const NamedParameter& np : model.named_parameters()) {
    if (!np.trainable) {
      EXPECT_EQ(0, std::memcmp(before.data() + np.offset, model.parameters().data() + np.offset, np.count * sizeof(float)))
          << np.name << " is fixed";
    }
  }
  std::cout << spec.name << ": " << want["steps"] << " steps, largest loss deviation " << dev.loss
            << ", final logits " << dev.logits << "\n";
}

INSTANTIATE_TEST_SUITE_P(Families, FamilyTrajectory,
                         ::testing::Values(CaseSpec{"roberta_single_padded", "micro_roberta"},
                                           CaseSpec{"distilbert_single_padded", "micro_distilbert"},
                                           CaseSpec{"distilbert_sinusoidal", "micro_distilbert_sinusoidal"},
                                           CaseSpec{"electra_pairs", "micro_electra"}),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace bertcls::model
