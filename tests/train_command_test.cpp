// bertcls train and eval as a user runs them: a model folder, metrics.jsonl, a report,
// and errors that name the file and line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/cli_runner.h"
#include "support/tiny_model.h"
#include "tensor/packed_linear.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

class TrainCommand : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir = new fs::path(fs::temp_directory_path() / ("bertcls_train_" + std::to_string(::getpid())));
    bertcls::test::make_tiny_model_folder(*dir / "base");
    std::ofstream train(*dir / "train.csv");
    train << "text,label\n";
    const char* positive[] = {"отличный день", "люблю это", "как хорошо", "прекрасная погода", "ура победа"};
    const char* negative[] = {"ужасный день", "ненавижу это", "как плохо", "мерзкая погода", "опять провал"};
    for (int round = 0; round < 4; ++round)
      for (int i = 0; i < 5; ++i) train << positive[i] << " " << round << ",1\n" << negative[i] << " " << round << ",0\n";
    std::ofstream(*dir / "valid.csv") << "text,label\nочень хорошо,1\nочень плохо,0\n";
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir);
    delete dir;
  }
  static std::string path(const char* name) { return "'" + (*dir / name).string() + "'"; }
  static fs::path* dir;
};
fs::path* TrainCommand::dir = nullptr;

TEST_F(TrainCommand, TrainsEvaluatesAndPredictsFromTheSavedFolder) {
  auto r = bertcls::test::run_cli("train --model " + path("base") + " --train " + path("train.csv") + " --valid " +
                                  path("valid.csv") + " --out " + path("run") +
                                  " --epochs 2 --batch-size 8 --lr 1e-3 --seed 3");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, (*dir / "run" / "model").string() + "\n");
  EXPECT_NE(r.err.find("epoch 2 done"), std::string::npos) << r.err;
  json config = json::parse(std::ifstream(*dir / "run" / "model" / "config.json"));
  EXPECT_EQ(config["id2label"], json({{"0", "0"}, {"1", "1"}}));
  std::ifstream metrics(*dir / "run" / "metrics.jsonl");
  int epochs = 0;
  for (std::string line; std::getline(metrics, line); ++epochs) EXPECT_TRUE(json::parse(line).contains("valid_f1_macro"));
  EXPECT_EQ(epochs, 2);

  auto eval = bertcls::test::run_cli("eval --model " + path("run/model") + " --data " + path("valid.csv") + " --json");
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  json report = json::parse(eval.out);
  EXPECT_EQ(report["examples"], 2);
  EXPECT_EQ(report["confusion_matrix"].size(), 2u);
  EXPECT_TRUE(report["macro"].contains("f1"));
  auto text_report = bertcls::test::run_cli("eval --model " + path("run/model") + " --data " + path("train.csv"));
  ASSERT_EQ(text_report.exit_code, 0) << text_report.err;
  EXPECT_NE(text_report.out.find("accuracy"), std::string::npos) << text_report.out;
  EXPECT_NE(text_report.out.find("macro avg"), std::string::npos) << text_report.out;

  auto predict = bertcls::test::run_cli("predict --model " + path("run/model") + " 'очень хорошо'");
  ASSERT_EQ(predict.exit_code, 0) << predict.err;
  EXPECT_TRUE(json::parse(predict.out).contains("scores"));
}

TEST_F(TrainCommand, ASeedMakesARunRepeatable) {
  std::string common = "train --model " + path("base") + " --train " + path("train.csv") +
                       " --epochs 1 --batch-size 4 --lr 1e-3 --seed 9 --log-every 1 --out ";
  auto a = bertcls::test::run_cli(common + path("seed_a"));
  auto b = bertcls::test::run_cli(common + path("seed_b"));
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  auto losses = [](const std::string& err) {
    std::string out;
    std::istringstream in(err);
    for (std::string line; std::getline(in, line);)
      if (line.find("loss") != std::string::npos) out += line.substr(0, line.find(",")) + "\n";  // not the speed
    return out;
  };
  EXPECT_FALSE(losses(a.err).empty());
  EXPECT_EQ(losses(a.err), losses(b.err));
}

TEST_F(TrainCommand, SeveralTrainingFilesAreOneDatasetWithTheUnionOfLabels) {
  // The first file alone has one label; ids come from both.
  std::ofstream(*dir / "part_a.csv") << "text,label\nочень хорошо,pos\nхорошо,pos\nотлично,pos\n";
  std::ofstream(*dir / "part_b.csv") << "text,label\nочень плохо,neg\nплохо,neg\nужасно,neg\nнормально,pos\n";
  auto r = bertcls::test::run_cli("train --model " + path("base") + " --train " + path("part_a.csv") + " " +
                                  path("part_b.csv") + " --valid-split 0 --out " + path("parts") +
                                  " --epochs 1 --batch-size 4");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("7 training and 0 validation examples, 2 labels"), std::string::npos) << r.err;
  json config = json::parse(std::ifstream(*dir / "parts" / "model" / "config.json"));
  EXPECT_EQ(config["id2label"], json({{"0", "neg"}, {"1", "pos"}}));
}

TEST_F(TrainCommand, FromScratchGetsItsOwnDefaultsUnlessGiven) {
  auto r = bertcls::test::run_cli("train --train " + path("train.csv") + " --lr 3e-4 --max-steps 1 --batch-size 40" +
                                  " --valid-split 0 --max-length 16 --out " + path("scratch"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("from new weights"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("from-scratch defaults: epochs 6, warmup ratio 0.1, weight decay 0.01\n"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("lr 0.001"), std::string::npos) << r.err;  // the given one stays
  const json config = json::parse(std::ifstream(*dir / "scratch" / "model" / "config.json"));
  EXPECT_EQ(config["hidden_size"], 128);  // bert-tiny
  EXPECT_LT(config["vocab_size"], 1000);  // learned from the 40 texts
}

TEST_F(TrainCommand, BadDataNamesFileLineAndColumn) {
  std::ofstream(*dir / "unknown_label.csv") << "text,label\nхорошо,1\nплохо,7\n";
  auto unknown = bertcls::test::run_cli("train --model " + path("base") + " --train " + path("train.csv") +
                                        " --valid " + path("unknown_label.csv") + " --out " + path("bad"));
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("unknown_label.csv:3"), std::string::npos) << unknown.err;
  EXPECT_NE(unknown.err.find("'7'"), std::string::npos) << unknown.err;
  std::ofstream(*dir / "no_label.csv") << "text,target\nхорошо,1\n";
  auto missing = bertcls::test::run_cli("train --model " + path("base") + " --train " + path("no_label.csv") +
                                        " --out " + path("bad"));
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("label"), std::string::npos) << missing.err;
  auto weights = bertcls::test::run_cli("train --model " + path("base") + " --train " + path("train.csv") +
                                        " --class-weights inverse --out " + path("bad"));
  EXPECT_NE(weights.exit_code, 0);  // a usage error, CLI11's code
  EXPECT_NE(weights.err.find("--class-weights"), std::string::npos) << weights.err;
}

TEST_F(TrainCommand, Bf16TrainsWhereTheCpuHasItAndResumeKeepsThePrecision) {
  const std::string common = "train --model " + path("base") + " --train " + path("train.csv") + " --valid " +
                             path("valid.csv") + " --out " + path("run-bf16") + " --batch-size 8 --seed 3 --max-steps 4";
  auto r = bertcls::test::run_cli(common + " --precision bf16 --save-steps 2");
  if (const std::string missing = bertcls::tensor::bf16_missing_feature(); !missing.empty()) {
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("bf16 training (--precision bf16) needs a CPU with " + missing), std::string::npos) << r.err;
    return;
  }
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto resumed = bertcls::test::run_cli(common + " --resume " + path("run-bf16"));
  EXPECT_NE(resumed.exit_code, 0);
  EXPECT_NE(resumed.err.find("precision = \"bf16\""), std::string::npos) << resumed.err;
}

}  // namespace
