// Loading Hugging Face checkpoints into BertClassifier and saving it back as a folder.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/bert_fixture.h"
#include <bertcls/error.h>
#include "io/model_weights.h"
#include "hf/pretrained.h"
#include "hf/model_folder.h"
#include "text/tokenizer.h"

namespace bertcls::model {
namespace {

namespace fs = std::filesystem;
using test::bert_fixtures;

struct TempDir {
  fs::path path;
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "bertcls-model-XXXXXX").string();
    path = ::mkdtemp(pattern.data());
  }
  ~TempDir() { fs::remove_all(path); }
};

std::vector<float> logits_of(BertClassifier& model, const Batch& batch) {
  auto l = model.forward(batch);
  return {l.begin(), l.end()};
}

TEST(LoadPretrained, SafetensorsAndPytorchBinGiveIdenticalResults) {
  TempDir bin_only;
  fs::copy(bert_fixtures() / "micro" / "config.json", bin_only.path);
  fs::copy(bert_fixtures() / "micro" / "pytorch_model.bin", bin_only.path);
  test::LoadedClassifier st = test::load_classifier(bert_fixtures() / "micro");
  test::LoadedClassifier bin = test::load_classifier(bin_only.path);
  EXPECT_TRUE(bin.report.missing.empty() && bin.report.unexpected.empty());
  EXPECT_TRUE(std::equal(st.model.parameters().begin(), st.model.parameters().end(), bin.model.parameters().begin()));
  const Batch batch = test::ParityCase("micro_single_padded").batch();
  EXPECT_EQ(logits_of(st.model, batch), logits_of(bin.model, batch));
}

TEST(LoadPretrained, BareBertModelWithPretrainingHeadsLoadsAsHuggingFaceLoadsIt) {
  test::LoadedClassifier bare = test::load_classifier(bert_fixtures() / "micro_pretraining",
                                         {.labels = {"neg", "neu", "pos"}, .init_seed = 5});
  // HF names missing keys without the base prefix for a bare checkpoint.
  EXPECT_EQ(bare.report.missing, (std::vector<std::string>{"classifier.weight", "classifier.bias"}));
  EXPECT_EQ(bare.report.unexpected, (std::vector<std::string>{"cls.predictions.bias", "cls.predictions.transform.dense.weight",
                                                              "cls.seq_relationship.weight"}));
  const auto warnings = bare.report.warnings("micro_pretraining");
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_NE(warnings[0].find("were not used when initializing BertForSequenceClassification: ['cls.predictions.bias'"),
            std::string::npos);
  EXPECT_NE(warnings[1].find("newly initialized: ['classifier.weight', 'classifier.bias']"), std::string::npos);

  // The encoder (gamma/beta renamed) equals the full checkpoint's; the head is HF's
  // initialisation: normal(0, initializer_range = 0.02) weights, zero bias.
  BertClassifier full = test::generated_model("micro");
  const auto& names = full.named_parameters();
  for (const NamedParameter& np : names) {
    if (np.name.rfind("classifier.", 0) == 0) continue;
    EXPECT_TRUE(std::equal(full.parameters().begin() + np.offset, full.parameters().begin() + np.offset + np.count,
                           bare.model.parameters().begin() + np.offset))
        << np.name;
  }
  const ParameterTensors& w = bare.model.tensors();
  const int n = 3 * 32;
  double sum2 = 0.0;
  for (int i = 0; i < n; i++) sum2 += w.clsw[i] * w.clsw[i];
  EXPECT_NEAR(std::sqrt(sum2 / n), 0.02, 0.006);
  EXPECT_TRUE(std::all_of(w.clsb, w.clsb + 3, [](float b) { return b == 0.0f; }));
  // Seeded: the same seed gives the same head.
  test::LoadedClassifier again = test::load_classifier(bert_fixtures() / "micro_pretraining", {.labels = {"a", "b", "c"}, .init_seed = 5});
  EXPECT_TRUE(std::equal(w.clsw, w.clsw + n, again.model.tensors().clsw));
}

TEST(LoadPretrained, ShapeMismatchNamesTheKeyAndBothShapes) {
  try {
    hf::load_pretrained(bert_fixtures() / "micro", {.labels = {"yes", "no"}});
    FAIL() << "a 3-label classifier loaded into a 2-label model";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("size mismatch for classifier.weight: copying a param with shape [3, 32] from "
                                         "checkpoint, the shape in current model is [2, 32]"),
              std::string::npos)
        << e.what();
  }
}

TEST(SaveModelFolder, SaveThenLoadGivesBitIdenticalLogitsAndAHuggingFaceFolder) {
  TempDir tmp;
  test::LoadedClassifier loaded = test::load_classifier(bert_fixtures() / "micro");
  const Batch batch = test::ParityCase("micro_pairs_weighted").batch();
  loaded.model.forward(batch);
  loaded.model.loss(batch);  // infers and fixes problem_type, which the folder must keep
  const auto before = logits_of(loaded.model, batch);
  const text::Tokenizer tokenizer =
      text::Tokenizer::from_directory(fs::path(BERTCLS_SOURCE_DIR) / "data" / "rubert-tiny2");
  const fs::path out = tmp.path / "fine-tuned";
  hf::save_model_folder(loaded.config, loaded.model.weights(), &tokenizer, out);
  // Saving over an existing folder replaces it whole.
  std::ofstream(out / "stale.txt") << "old";
  hf::save_model_folder(loaded.config, loaded.model.weights(), &tokenizer, out);
  EXPECT_FALSE(fs::exists(out / "stale.txt"));
  for (const char* f : {"config.json", "model.safetensors", "vocab.txt", "tokenizer.json", "tokenizer_config.json"})
    EXPECT_TRUE(fs::exists(out / f)) << f;
  int entries = 0;
  for (const auto& e : fs::directory_iterator(tmp.path)) entries += e.path() != out;
  EXPECT_EQ(entries, 0) << "temporary folders left beside the saved one";

  nlohmann::json config = nlohmann::json::parse(std::ifstream(out / "config.json"));
  EXPECT_EQ(config["architectures"], nlohmann::json::array({"BertForSequenceClassification"}));
  EXPECT_EQ(config["id2label"]["2"], "pos");
  EXPECT_EQ(config["label2id"]["neu"], 1);
  EXPECT_EQ(config["problem_type"], "single_label_classification");

  // HF key names, every tensor present.
  std::vector<std::string> saved;
  for (const io::NamedTensor& t : io::read_model_weights(out)) saved.push_back(t.name);
  EXPECT_EQ(saved.size(), loaded.model.named_parameters().size());
  EXPECT_NE(std::find(saved.begin(), saved.end(), "bert.encoder.layer.1.attention.self.value.weight"), saved.end());

  test::LoadedClassifier back = test::load_classifier(out);
  EXPECT_TRUE(back.report.missing.empty() && back.report.unexpected.empty());
  EXPECT_EQ(logits_of(back.model, batch), before);

  // tools/check_saved_folder.py reads such a folder with the PyTorch reference; this
  // hands it one (CI has no Python, so that check is run by hand).
  if (const char* keep = std::getenv("BERTCLS_KEEP_SAVED_FOLDER")) hf::save_model_folder(loaded.config, loaded.model.weights(), &tokenizer, keep);
}

}  // namespace
}  // namespace bertcls::model
