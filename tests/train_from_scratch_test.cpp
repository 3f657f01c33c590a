// `bertcls train` without a model: a vocabulary learned from the training texts, masked-LM
// pre-training on them, then fine-tuning from the pre-trained encoder; and a run stopped
// in any stage resumes to the uninterrupted run's model, bit for bit.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include <bertcls/fine_tune.h>

#include "io/safetensors.h"
#include "support/cli_runner.h"
#include "support/io_test_support.h"
#include "support/run_records.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

class TrainFromScratch : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir = new fs::path(fs::temp_directory_path() / ("bertcls_scratch_" + std::to_string(::getpid())));
    fs::create_directories(*dir / "preset");
    // A small shape; its vocab_size is replaced by the learned vocabulary's.
    std::ofstream(*dir / "preset" / "config.json") << json{{"model_type", "bert"},
                                                           {"hidden_size", 16},
                                                           {"num_hidden_layers", 1},
                                                           {"num_attention_heads", 2},
                                                           {"intermediate_size", 32},
                                                           {"max_position_embeddings", 64},
                                                           {"vocab_size", 99999}}
                                                          .dump();
    std::ifstream csv(fs::path(BERTCLS_SOURCE_DIR) / "data/rutweetcorp-sample/train.csv");
    std::ofstream train(*dir / "train.csv"), extra(*dir / "extra.txt");
    std::string line;
    std::getline(csv, line);
    train << line << "\n";
    for (int i = 0; i < 120 && std::getline(csv, line); ++i) train << line << "\n";
    for (int i = 0; i < 30 && std::getline(csv, line); ++i) extra << line.substr(0, line.rfind(',')) << "\n";
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir);
    delete dir;
  }

  static bertcls::FineTuneOptions options(const std::string& out) {
    bertcls::FineTuneOptions o;
    o.preset = (*dir / "preset").string();
    o.train_files = {(*dir / "train.csv").string()};
    o.valid_split = 0.2;
    o.out = (*dir / out).string();
    o.text.max_length = 32;
    o.batch_size = 16;
    o.epochs = 2;
    o.log_every = 1;
    o.scratch.vocab_size = 300;
    o.scratch.pretrain_epochs = 2;
    o.scratch.pretrain_max_length = 32;
    o.scratch.pretrain_batch_size = 8;
    return o;
  }
  static fs::path* dir;
};
fs::path* TrainFromScratch::dir = nullptr;

std::map<std::string, std::vector<float>> tensors(const fs::path& folder) {
  std::map<std::string, std::vector<float>> by_name;
  for (auto& t : bertcls::io::read_safetensors(folder / "model.safetensors")) by_name[t.name] = std::move(t.data);
  return by_name;
}

std::size_t lines_of(const fs::path& file) {
  std::ifstream in(file);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) ++n;
  return n;
}

TEST_F(TrainFromScratch, LearnsAVocabularyPretrainsAndFineTunesThePretrainedEncoder) {
  // lr 0: fine-tuning moves nothing, so OUT/model's encoder must be the pre-trained one.
  auto r = bertcls::test::run_cli("train --preset '" + (*dir / "preset").string() + "' --train '" +
                                  (*dir / "train.csv").string() + "' --unlabelled '" + (*dir / "extra.txt").string() +
                                  "' --valid-split 0.2 --out '" + (*dir / "cli").string() +
                                  "' --vocab-size 300 --pretrain-epochs 2 --pretrain-max-length 32 --pretrain-batch-size 8"
                                  " --max-length 32 --lr 0 --epochs 1 --seed 5");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path stages = *dir / "cli" / "from-scratch";
  EXPECT_EQ(lines_of(stages / "texts.txt"), 96u);  // the 80% kept for training, not the validation texts
  EXPECT_NE(r.err.find("learned from 126 texts"), std::string::npos) << r.err;  // with the 30 unlabelled
  EXPECT_NE(r.err.find("pre-training a masked language model"), std::string::npos) << r.err;
  const std::size_t vocab = lines_of(stages / "vocabulary" / "vocab.txt");
  EXPECT_LE(vocab, 300u);
  const json config = json::parse(bertcls::test::slurp(*dir / "cli" / "model" / "config.json"));
  EXPECT_EQ(config["vocab_size"], vocab);
  EXPECT_EQ(config["hidden_size"], 16);
  EXPECT_EQ(bertcls::test::slurp(*dir / "cli" / "model" / "vocab.txt"), bertcls::test::slurp(stages / "vocabulary" / "vocab.txt"));
  EXPECT_EQ(bertcls::test::epoch_records(stages / "pretraining").size(), 2u);
  EXPECT_TRUE(fs::exists(stages / "pretrained.json"));

  const auto pretrained = tensors(stages / "pretraining" / "model");
  const auto fine_tuned = tensors(*dir / "cli" / "model");
  for (const char* name : {"bert.embeddings.word_embeddings.weight", "bert.encoder.layer.0.output.dense.weight"}) {
    ASSERT_TRUE(pretrained.count(name) && fine_tuned.count(name)) << name;
    EXPECT_EQ(pretrained.at(name), fine_tuned.at(name)) << name;
  }
}

// Stopped after `stop` steps counted over both stages (pre-training has 2 epochs of a few
// batches, then fine-tuning), then resumed with the same options.
TEST_F(TrainFromScratch, AStoppedRunResumesInEitherStageToTheSameModel) {
  const bertcls::FineTuneResult whole = bertcls::fine_tune(options("whole"));
  ASSERT_FALSE(whole.interrupted);
  const auto expected = tensors(whole.model_dir);
  const std::int64_t pretrain_steps =
      json::parse(bertcls::test::slurp(*dir / "whole" / "from-scratch" / "pretrained.json"))["steps"];
  ASSERT_GE(pretrain_steps, 4);

  for (const std::int64_t stop : {pretrain_steps / 2, pretrain_steps + 2}) {
    SCOPED_TRACE("stopped after step " + std::to_string(stop) + " of both stages");
    const std::string out = "stopped-" + std::to_string(stop);
    std::int64_t steps = 0;
    bertcls::FineTuneCallbacks stop_at;
    stop_at.stop_requested = [&] { return ++steps == stop; };
    ASSERT_TRUE(bertcls::fine_tune(options(out), stop_at).interrupted);
    bertcls::FineTuneOptions again = options(out);
    again.resume = again.out;
    std::vector<std::string> messages;
    const bertcls::FineTuneResult resumed = bertcls::fine_tune(again, {.on_message = [&](const std::string& m) {
                                                                  messages.push_back(m);
                                                                }});
    ASSERT_FALSE(resumed.interrupted);
    EXPECT_EQ(tensors(resumed.model_dir), expected);
    auto said = [&](const std::string& what) {
      return std::any_of(messages.begin(), messages.end(), [&](const std::string& m) { return m.find(what) != m.npos; });
    };
    // Continued where it stopped, not redone (which would give the same bits).
    const bool in_pretraining = stop <= pretrain_steps;
    EXPECT_TRUE(said("vocabulary: kept"));
    EXPECT_EQ(said("resuming from " + (*dir / out / "from-scratch" / "pretraining" / "checkpoint-").string() +
                   std::to_string(stop)), in_pretraining);
    EXPECT_EQ(said("pre-training: kept"), !in_pretraining);
    EXPECT_EQ(said("resuming from " + (*dir / out / "checkpoint-").string()), !in_pretraining);
  }
}

TEST_F(TrainFromScratch, ResumingANewFolderSaysThereIsNothingToContinue) {
  bertcls::FineTuneOptions o = options("never-ran");
  o.resume = o.out;
  fs::create_directories(o.out);
  bertcls::test::expect_error([&] { bertcls::fine_tune(o); }, {"no checkpoint-STEP folder and no from-scratch stages"});
}

TEST_F(TrainFromScratch, ResumingWithOtherStageOptionsIsRefusedByName) {
  std::int64_t steps = 0;
  bertcls::FineTuneCallbacks stop_at;
  stop_at.stop_requested = [&] { return ++steps == 2; };  // inside pre-training
  ASSERT_TRUE(bertcls::fine_tune(options("changed"), stop_at).interrupted);
  bertcls::FineTuneOptions again = options("changed");
  again.resume = again.out;
  again.scratch.vocab_size = 200;
  bertcls::test::expect_error([&] { bertcls::fine_tune(again); }, {"vocab_size = 300, this one has 200"});
}

TEST_F(TrainFromScratch, APresetWithoutATokenizerNeedsALearnedVocabulary) {
  bertcls::FineTuneOptions o = options("no-tokenizer");
  o.scratch.vocab_size = 0;
  bertcls::test::expect_error([&] { bertcls::fine_tune(o); }, {"has no tokenizer of its own", "--vocab-size"});
}

}  // namespace
