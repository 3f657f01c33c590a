// Every BERT-family classifier through the whole pipeline: a folder in Hugging Face's
// layout (a tiny random model of the family, with the kind of tokenizer the family ships:
// byte-level BPE for RoBERTa, Unigram for XLM-RoBERTa, WordPiece for DistilBERT and ELECTRA) is fine-tuned,
// evaluated and used to predict by the CLI and served, and the folder it saves carries the family's
// model_type, architecture and tensor names, so transformers loads it as that family;
// serve answers with it as predict does.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include <httplib.h>

#include <thread>

#include <bertcls/classifier.h>
#include "hf/model_folder.h"
#include "pipeline/classifier_model.h"
#include "serve/server.h"
#include "io/safetensors.h"
#include "io/strict_json.h"
#include "support/cli_runner.h"
#include "support/tiny_model.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct FamilyCase {
  const char* name;
  bertcls::model::Family family;
  const char* tokenizer_dir;  // relative to the source tree
  const char* model_type;
  const char* architecture;
  const char* a_tensor;  // one name only this family's checkpoints use
};

class ModelFamilies : public ::testing::TestWithParam<FamilyCase> {};

fs::path make_folder(const FamilyCase& c, const fs::path& dir) {
  const auto tokenizer = bertcls::text::Tokenizer::from_directory(fs::path(BERTCLS_SOURCE_DIR) / c.tokenizer_dir);
  bertcls::hf::ModelConfig config;
  config.bert = bertcls::test::tiny_bert_config({.vocab_size = tokenizer.vocab_size(),
                                                 .hidden_size = 32,
                                                 .num_attention_heads = 4,
                                                 .intermediate_size = 64,
                                                 .max_position_embeddings = 66});
  config.bert.family = c.family;
  if (c.family == bertcls::model::Family::roberta || c.family == bertcls::model::Family::xlm_roberta) {
    config.bert.pad_token_id = 1;
    config.bert.position_offset = 2;
    config.bert.type_vocab_size = 1;
  }
  if (c.family == bertcls::model::Family::distilbert) config.bert.type_vocab_size = 0;
  if (c.family == bertcls::model::Family::electra) config.bert.embedding_size = 16;
  config.set_labels({"0", "1"});
  bertcls::hf::save_model_folder(config, bertcls::model::BertWeights(config.bert, 7), &tokenizer, dir);
  return dir;
}

TEST_P(ModelFamilies, TrainEvalPredictAndSaveAsTheFamily) {
  const FamilyCase c = GetParam();
  const fs::path work = fs::temp_directory_path() / ("bertcls_family_" + std::string(c.name) + "_" + std::to_string(::getpid()));
  fs::remove_all(work);
  const fs::path base = make_folder(c, work / "base");
  const std::string data = std::string(BERTCLS_SOURCE_DIR) + "/data/rutweetcorp-sample/";

  auto train = bertcls::test::run_cli("train --model '" + base.string() + "' --train '" + data + "train.csv' --valid '" +
                                      data + "valid.csv' --out '" + (work / "run").string() +
                                      "' --max-steps 3 --batch-size 8 --max-length 48");
  ASSERT_EQ(train.exit_code, 0) << train.err;
  const fs::path model = work / "run" / "model";
  const json config = bertcls::io::read_json_strict(model / "config.json");
  EXPECT_EQ(config["model_type"], c.model_type);
  EXPECT_EQ(config["architectures"], json({c.architecture}));
  std::set<std::string> names;
  for (const auto& t : bertcls::io::read_safetensors(model / "model.safetensors")) names.insert(t.name);
  EXPECT_TRUE(names.count(c.a_tensor)) << c.a_tensor << " missing from the saved weights";

  auto eval = bertcls::test::run_cli("eval --model '" + model.string() + "' --data '" + data + "test.csv'");
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  EXPECT_NE(eval.out.find("accuracy"), std::string::npos) << eval.out;

  // The CLI and the library give one answer.
  auto predict = bertcls::test::run_cli("predict --model '" + model.string() + "' 'какой хороший день'");
  ASSERT_EQ(predict.exit_code, 0) << predict.err;
  const json line = json::parse(predict.out);
  const auto clf = bertcls::Classifier::load(model.string());
  const auto p = clf.predict({"какой хороший день"})[0];
  EXPECT_NEAR(line["scores"]["1"].get<float>(), p.scores[1], 1e-6f) << predict.out;

  // And serve answers with the same scores.
  bertcls::serve::ServerOptions options;
  options.port = 0;
  bertcls::serve::InferenceServer server(bertcls::pipeline::ClassifierModel::load(model.string()), c.name, options);
  const int port = server.bind();
  std::thread serving([&] { server.serve(); });
  auto answer = httplib::Client("127.0.0.1", port).Post("/", R"({"inputs": "какой хороший день"})", "application/json");
  server.stop();
  serving.join();
  ASSERT_TRUE(answer);
  ASSERT_EQ(answer->status, 200) << answer->body;
  const json served = json::parse(answer->body);
  for (const auto& entry : served.at(0))
    EXPECT_NEAR(entry["score"].get<float>(), p.scores[entry["label"] == "1" ? 1 : 0], 1e-6f) << answer->body;
  fs::remove_all(work);
}

INSTANTIATE_TEST_SUITE_P(
    Families, ModelFamilies,
    ::testing::Values(FamilyCase{"roberta", bertcls::model::Family::roberta, "tests/fixtures/tokenizers/roberta-gpt2",
                                 "roberta", "RobertaForSequenceClassification", "classifier.out_proj.weight"},
                      FamilyCase{"xlm_roberta", bertcls::model::Family::xlm_roberta,
                                 "tests/fixtures/tokenizers/xlmr-unigram", "xlm-roberta",
                                 "XLMRobertaForSequenceClassification", "roberta.encoder.layer.1.attention.self.query.weight"},
                      FamilyCase{"distilbert", bertcls::model::Family::distilbert, "data/bert-base-uncased",
                                 "distilbert", "DistilBertForSequenceClassification",
                                 "distilbert.transformer.layer.1.attention.q_lin.weight"},
                      FamilyCase{"electra", bertcls::model::Family::electra, "data/bert-base-uncased", "electra",
                                 "ElectraForSequenceClassification", "electra.embeddings_project.weight"}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
