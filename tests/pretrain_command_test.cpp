// bertcls pretrain end to end on tweets of data/rutweetcorp-sample: the masked-LM loss
// falls, OUT/model is a BertForMaskedLM folder that `bertcls train --model` fine-tunes
// with a fresh classifier head, and --resume from a checkpoint gives the uninterrupted
// run's model bit for bit.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "hf/pretrained.h"
#include "support/cli_runner.h"
#include "support/run_records.h"
#include "support/tiny_model.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

class PretrainCommand : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir = new fs::path(fs::temp_directory_path() / ("bertcls_pretrain_" + std::to_string(::getpid())));
    bertcls::test::make_tiny_model_folder(*dir / "base");
    // The first 200 tweets, without the CSV's header and label column.
    std::ifstream csv(fs::path(BERTCLS_SOURCE_DIR) / "data/rutweetcorp-sample/train.csv");
    std::ofstream texts(*dir / "texts.txt"), table(*dir / "texts.csv");
    std::string line;
    std::getline(csv, line);
    table << line << "\n";
    for (int i = 0; i < 200 && std::getline(csv, line); ++i) {
      texts << line.substr(0, line.rfind(',')) << "\n";
      table << line << "\n";
    }
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir);
    delete dir;
  }
  static std::string path(const std::string& name) { return "'" + (*dir / name).string() + "'"; }
  // About 4,000 tokens in blocks of 32: ~16 batches of 8 an epoch.
  static std::string pretrain_args(const std::string& out, const std::string& extra = "") {
    return "pretrain --model " + path("base") + " --texts " + path("texts.txt") + " --out " + path(out) +
           " --max-length 32 --batch-size 8 --epochs 3 --lr 2e-3 --seed 3 --log-every 1 " + extra;
  }
  static std::vector<json> epoch_records(const std::string& out) { return bertcls::test::epoch_records(*dir / out); }
  static fs::path* dir;
};
fs::path* PretrainCommand::dir = nullptr;

TEST_F(PretrainCommand, LossFallsAndTheModelFineTunes) {
  auto r = bertcls::test::run_cli(pretrain_args("run", "--whole-word-masking"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("newly initialized: ['cls.predictions.transform.dense.weight'"), std::string::npos) << r.err;
  const auto epochs = epoch_records("run");
  ASSERT_EQ(epochs.size(), 3u);
  EXPECT_LT(epochs[2]["train_loss"].get<double>(), epochs[0]["train_loss"].get<double>() - 0.5);
  EXPECT_NEAR(epochs[2]["train_perplexity"].get<double>(), std::exp(epochs[2]["train_loss"].get<double>()), 1e-6);
  EXPECT_TRUE(fs::exists(*dir / "run" / "curves.svg"));
  EXPECT_TRUE(fs::exists(*dir / "run" / "model" / "vocab.txt"));
  const json config = json::parse(bertcls::test::slurp(*dir / "run" / "model" / "config.json"));
  EXPECT_EQ(config["architectures"], json::array({"BertForMaskedLM"}));
  const auto loaded = bertcls::hf::load_pretrained(*dir / "run" / "model",
                                                   {.labels = {}, .init_seed = 0, .head = bertcls::model::Head::masked_lm});
  EXPECT_TRUE(loaded.report.missing.empty() && loaded.report.unexpected.empty());

  std::ofstream(*dir / "train.csv") << "text,label\nхороший день,1\nплохой день,0\nочень хорошо,1\nочень плохо,0\n";
  auto tuned = bertcls::test::run_cli("train --model " + path("run/model") + " --train " + path("train.csv") +
                                      " --out " + path("tuned") + " --valid-split 0 --max-steps 1 --batch-size 4");
  ASSERT_EQ(tuned.exit_code, 0) << tuned.err;
  EXPECT_NE(tuned.err.find("newly initialized: ['bert.pooler.dense.weight', 'bert.pooler.dense.bias', "
                           "'classifier.weight', 'classifier.bias']"),
            std::string::npos)
      << tuned.err;
}

TEST_F(PretrainCommand, ResumeFromACheckpointGivesTheUninterruptedRun) {
  auto whole = bertcls::test::run_cli(pretrain_args("whole", "--save-steps 13"));
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  // A run stopped after its last checkpoint: its folder as that checkpoint left it.
  fs::path checkpoint;
  for (const auto& e : fs::directory_iterator(*dir / "whole"))
    if (e.path().filename().string().rfind("checkpoint-", 0) == 0) checkpoint = e.path();
  ASSERT_FALSE(checkpoint.empty());
  fs::copy(*dir / "whole", *dir / "stopped", fs::copy_options::recursive);
  fs::remove_all(*dir / "stopped" / "model");

  auto resumed = bertcls::test::run_cli(pretrain_args("stopped", "--save-steps 13 --resume " + path("stopped")));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("resuming from"), std::string::npos) << resumed.err;
  EXPECT_EQ(epoch_records("stopped"), epoch_records("whole"));
  EXPECT_EQ(bertcls::test::slurp(*dir / "stopped" / "model" / "model.safetensors"),
            bertcls::test::slurp(*dir / "whole" / "model" / "model.safetensors"));

  auto other = bertcls::test::run_cli(pretrain_args("stopped", "--mlm-probability 0.3 --resume " + path("stopped")));
  EXPECT_EQ(other.exit_code, 1);
  EXPECT_NE(other.err.find("made with mlm_probability = 0.15"), std::string::npos) << other.err;
}

// A dataset's text column is read as the same texts as a file of lines (labels unread).
TEST_F(PretrainCommand, ReadsTheTextColumnOfADataset) {
  auto lines = bertcls::test::run_cli(pretrain_args("from-lines", "--max-steps 1"));
  auto table = bertcls::test::run_cli("pretrain --model " + path("base") + " --texts " + path("texts.csv") + " --out " +
                                      path("from-csv") + " --max-length 32 --batch-size 8 --epochs 3 --lr 2e-3 --seed 3" +
                                      " --log-every 1 --max-steps 1");
  ASSERT_EQ(lines.exit_code, 0) << lines.err;
  ASSERT_EQ(table.exit_code, 0) << table.err;
  const auto summary = [](const std::string& err) {
    const std::size_t at = err.find(" tokens in ");
    return at == std::string::npos ? std::string() : err.substr(err.rfind('\n', at) + 1, err.find('\n', at) - err.rfind('\n', at) - 1);
  };
  EXPECT_FALSE(summary(lines.err).empty()) << lines.err;
  EXPECT_EQ(summary(table.err), summary(lines.err));
  EXPECT_EQ(bertcls::test::slurp(*dir / "from-csv" / "model" / "model.safetensors"),
            bertcls::test::slurp(*dir / "from-lines" / "model" / "model.safetensors"));
  auto bad = bertcls::test::run_cli("pretrain --model " + path("base") + " --texts " + path("texts.csv") +
                                    " --text-column tweet --out " + path("bad-column"));
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("tweet"), std::string::npos) << bad.err;
}

TEST_F(PretrainCommand, RefusesAModelThatIsNotBert) {
  auto r = bertcls::test::run_cli("pretrain --model '" + (fs::path(BERTCLS_FIXTURES) / "bert" / "micro_roberta").string() +
                                  "' --texts " + path("texts.txt") + " --out " + path("roberta"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("config.json: field \"model_type\""), std::string::npos) << r.err;
}

}  // namespace
