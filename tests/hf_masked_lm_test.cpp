// BertForMaskedLM folders: saved with HF's names (no pooler, no separate decoder weight:
// it is tied to the word embeddings) and loaded back bit for bit; a checkpoint that
// carries the tied decoder tensors loads them as what they are tied to; and a masked-LM
// folder loaded as a classifier gets a fresh head, reported as HF reports it.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "hf/model_folder.h"
#include "io/model_weights.h"
#include "io/safetensors.h"
#include "support/bert_fixture.h"
#include "support/cli_runner.h"

namespace bertcls::hf {
namespace {

namespace fs = std::filesystem;

const LoadOptions kMaskedLm{.labels = {}, .init_seed = 0, .head = model::Head::masked_lm};

class MaskedLmFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("bertcls_mlm_folder_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    config_ = read_model_config(test::bert_fixtures() / "micro_mlm" / "config.json");
    config_.bert.head = model::Head::masked_lm;
  }
  void TearDown() override { fs::remove_all(dir_); }

  model::BertClassifier generated() const {
    model::BertClassifier model(config_.bert);
    test::fill_generated_weights(model);
    return model;
  }

  fs::path dir_;
  ModelConfig config_;
};

TEST_F(MaskedLmFolder, RoundTripsWithHuggingFaceNames) {
  const model::BertClassifier model = generated();
  save_model_folder(config_, model.weights(), nullptr, dir_ / "mlm");
  const nlohmann::json saved = nlohmann::json::parse(test::slurp(dir_ / "mlm" / "config.json"));
  EXPECT_EQ(saved["architectures"], nlohmann::json::array({"BertForMaskedLM"}));
  EXPECT_EQ(saved["model_type"], "bert");

  std::vector<std::string> names;
  for (const io::NamedTensor& t : io::read_model_weights(dir_ / "mlm")) names.push_back(t.name);
  for (const char* name : {"cls.predictions.transform.dense.weight", "cls.predictions.transform.dense.bias",
                           "cls.predictions.transform.LayerNorm.weight", "cls.predictions.transform.LayerNorm.bias",
                           "cls.predictions.bias", "bert.embeddings.word_embeddings.weight"})
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
  for (const std::string& name : names)
    EXPECT_TRUE(!name.starts_with("bert.pooler") && !name.starts_with("classifier") &&
                !name.starts_with("cls.predictions.decoder"))
        << name;

  const PretrainedModel loaded = load_pretrained(dir_ / "mlm", kMaskedLm);
  EXPECT_TRUE(loaded.report.missing.empty());
  EXPECT_TRUE(loaded.report.unexpected.empty());
  EXPECT_EQ(loaded.report.architecture, "BertForMaskedLM");
  EXPECT_TRUE(std::equal(model.parameters().begin(), model.parameters().end(), loaded.weights.parameters().begin(),
                         loaded.weights.parameters().end()));
}

TEST_F(MaskedLmFolder, ReadsTheTiedDecoderTensorsAsWhatTheyAreTiedTo) {
  const model::BertClassifier model = generated();
  std::vector<io::TensorRef> tensors;
  const float* params = model.parameters().data();
  const std::vector<float> decoder_bias(config_.bert.vocab_size, 0.5f);
  for (const model::NamedParameter& np : model.named_parameters())
    if (np.name != "cls.predictions.bias") tensors.push_back({np.name, np.shape, params + np.offset});
  // As a checkpoint saved without tying: the decoder's own weight and bias.
  tensors.push_back({"cls.predictions.decoder.weight", {config_.bert.vocab_size, config_.bert.hidden_size},
                     model.tensors().wte});
  tensors.push_back({"cls.predictions.decoder.bias", {config_.bert.vocab_size}, decoder_bias.data()});
  fs::create_directories(dir_ / "untied");
  write_model_config(dir_ / "untied" / "config.json", config_);
  io::write_safetensors(dir_ / "untied" / "model.safetensors", tensors);

  const PretrainedModel loaded = load_pretrained(dir_ / "untied", kMaskedLm);
  EXPECT_TRUE(loaded.report.missing.empty());
  EXPECT_TRUE(loaded.report.unexpected.empty());
  const float* bias = loaded.weights.tensors().mlm_bias;
  EXPECT_TRUE(std::all_of(bias, bias + config_.bert.vocab_size, [](float x) { return x == 0.5f; }));
}

TEST_F(MaskedLmFolder, LoadsAsAClassifierWithAFreshHeadReportedAsHuggingFaceDoes) {
  const model::BertClassifier model = generated();
  save_model_folder(config_, model.weights(), nullptr, dir_ / "mlm");
  const PretrainedModel classifier = load_pretrained(dir_ / "mlm");
  EXPECT_EQ(classifier.weights.config().head, model::Head::sequence_classification);
  EXPECT_EQ(classifier.report.missing, (std::vector<std::string>{"bert.pooler.dense.weight", "bert.pooler.dense.bias",
                                                                 "classifier.weight", "classifier.bias"}));
  EXPECT_EQ(classifier.report.unexpected,
            (std::vector<std::string>{"cls.predictions.transform.dense.weight", "cls.predictions.transform.dense.bias",
                                      "cls.predictions.transform.LayerNorm.weight",
                                      "cls.predictions.transform.LayerNorm.bias", "cls.predictions.bias"}));
  const auto warnings = classifier.report.warnings("mlm");
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_NE(warnings[1].find("Some weights of BertForSequenceClassification were not initialized from the model "
                             "checkpoint at mlm and are newly initialized: ['bert.pooler.dense.weight'"),
            std::string::npos)
      << warnings[1];
  // The encoder is the masked-LM model's, tensor for tensor.
  const auto& word = classifier.weights.named_parameters().front();
  EXPECT_TRUE(std::equal(model.tensors().wte, model.tensors().wte + word.count, classifier.weights.tensors().wte));
}

// A BertForPreTraining-like checkpoint (a bare BertModel's keys, cls.* heads): its
// cls.predictions tensors are the head's; the pooler (BertForMaskedLM has none) and
// cls.seq_relationship are not used, as in HF.
TEST_F(MaskedLmFolder, LoadsTheMaskedLmTensorsOfAPreTrainingCheckpoint) {
  const PretrainedModel loaded = load_pretrained(test::bert_fixtures() / "micro_pretraining", kMaskedLm);
  EXPECT_EQ(loaded.report.unexpected, (std::vector<std::string>{"pooler.dense.weight", "pooler.dense.bias",
                                                                 "cls.seq_relationship.weight"}));
  EXPECT_EQ(loaded.report.missing,
            (std::vector<std::string>{"cls.predictions.transform.dense.bias", "cls.predictions.transform.LayerNorm.weight",
                                      "cls.predictions.transform.LayerNorm.bias"}));
  model::BertClassifier want = generated();
  EXPECT_EQ(loaded.weights.tensors().mlm_bias[3], want.tensors().mlm_bias[3]);
  EXPECT_EQ(loaded.weights.tensors().mlmw[5], want.tensors().mlmw[5]);
}

}  // namespace
}  // namespace bertcls::hf
