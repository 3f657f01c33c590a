// bertcls train as a long job: Ctrl-C leaves a checkpoint and exit code 130, --resume
// continues to the same losses as a run never stopped, --save-steps checkpoints, the run
// folder holds metrics.jsonl with step and epoch records and a curves.svg picture.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/cli_runner.h"
#include "support/run_records.h"
#include "support/tiny_model.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

class TrainResumeCommand : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir = new fs::path(fs::temp_directory_path() / ("bertcls_resume_" + std::to_string(::getpid())));
    bertcls::test::make_tiny_model_folder(*dir / "base");
    std::ofstream train(*dir / "train.csv");
    train << "text,label\n";
    const char* words[] = {"отличный день", "ужасный день", "люблю это", "ненавижу это", "как хорошо", "как плохо"};
    for (int round = 0; round < 8; ++round)
      for (int i = 0; i < 6; ++i) train << words[i] << " " << round << "," << (i % 2 == 0) << "\n";
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir);
    delete dir;
  }
  static std::string path(const std::string& name) { return "'" + (*dir / name).string() + "'"; }
  // 48 rows, 10% held out: 43 train rows in batches of 2, 22 steps an epoch.
  static std::string train_args(const std::string& out, const std::string& extra = "", const std::string& epochs = "6",
                                const std::string& lr = "1e-3") {
    return "train --model " + path("base") + " --train " + path("train.csv") + " --out " + path(out) +
           " --batch-size 2 --seed 5 --log-every 1 --epochs " + epochs + " --lr " + lr + " " + extra;
  }
  static std::vector<json> epoch_records(const std::string& out) { return bertcls::test::epoch_records(*dir / out); }
  static fs::path* dir;
};
fs::path* TrainResumeCommand::dir = nullptr;

TEST_F(TrainResumeCommand, CtrlCThenResumeGivesTheUninterruptedRun) {
  auto whole = bertcls::test::run_cli(train_args("whole"));
  ASSERT_EQ(whole.exit_code, 0) << whole.err;

  // Interrupt as a user would: SIGINT once the run is under way.
  const fs::path err = *dir / "stopped.err", script = *dir / "interrupt.sh";
  std::ofstream(script) << "'" << BERTCLS_CLI << "' " << train_args("stopped") << " 2>'" << err.string() << "' &\n"
                        << "pid=$!\n"
                        << "for i in $(seq 3000); do grep -q 'step 30/' '" << err.string()
                        << "' 2>/dev/null && break; sleep 0.01; done\n"
                        << "kill -INT $pid\nwait $pid\n";
  const int status = std::system(("sh '" + script.string() + "'").c_str());
  const int exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  const std::string stopped_err = bertcls::test::slurp(err);
  ASSERT_EQ(exit_code, 130) << stopped_err;
  EXPECT_NE(stopped_err.find("--resume"), std::string::npos) << stopped_err;
  int checkpoints = 0;
  for (const auto& e : fs::directory_iterator(*dir / "stopped"))
    checkpoints += e.path().filename().string().rfind("checkpoint-", 0) == 0;
  EXPECT_EQ(checkpoints, 1);

  auto resumed = bertcls::test::run_cli(train_args("stopped", "--resume " + path("stopped")));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("resuming from"), std::string::npos) << resumed.err;
  const auto expected = epoch_records("whole");
  ASSERT_EQ(expected.size(), 6u);
  EXPECT_EQ(epoch_records("stopped"), expected);
  EXPECT_EQ(bertcls::test::slurp(*dir / "stopped" / "model" / "model.safetensors"),
            bertcls::test::slurp(*dir / "whole" / "model" / "model.safetensors"));
}

TEST_F(TrainResumeCommand, ResumeRefusesOtherOptionsAndMissingCheckpoints) {
  auto first = bertcls::test::run_cli(train_args("saved", "--max-steps 6 --save-steps 4"));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_TRUE(fs::exists(*dir / "saved" / "checkpoint-4" / "optimizer.safetensors"));
  EXPECT_TRUE(fs::exists(*dir / "saved" / "checkpoint-4" / "model" / "config.json"));

  auto other_lr = bertcls::test::run_cli(train_args("saved", "--max-steps 6 --resume " + path("saved"), "6", "5e-4"));
  EXPECT_EQ(other_lr.exit_code, 1);
  EXPECT_NE(other_lr.err.find("made with lr = 0.001, this one has 0.0005"), std::string::npos) << other_lr.err;
  auto nothing = bertcls::test::run_cli(train_args("fresh", "--resume " + path("train.csv")));
  EXPECT_EQ(nothing.exit_code, 1);
  EXPECT_NE(nothing.err.find("train.csv: no such folder"), std::string::npos) << nothing.err;
}

TEST_F(TrainResumeCommand, RunFolderHasStepAndEpochRecordsAndAPicture) {
  auto r = bertcls::test::run_cli(train_args("record", "--patience 1 --metric f1_macro", "2"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(*dir / "record" / "metrics.jsonl");
  int steps = 0, epochs = 0;
  for (std::string line; std::getline(in, line);) {
    const json rec = json::parse(line);
    if (rec["event"] == "step") {
      ++steps;
      EXPECT_TRUE(rec.contains("train_loss") && rec.contains("lr") && rec.contains("grad_norm")) << line;
    } else {
      ++epochs;
      EXPECT_TRUE(rec.contains("valid_f1_macro") && rec.contains("valid_loss")) << line;
    }
  }
  // Each epoch: 22 steps, or one epoch plus the one the patience allows.
  EXPECT_EQ(steps, 22 * epochs);
  EXPECT_GE(epochs, 1);
  const std::string svg = bertcls::test::slurp(*dir / "record" / "curves.svg");
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_NE(svg.find("valid loss"), std::string::npos);
  EXPECT_NE(svg.find("f1_macro"), std::string::npos);
  EXPECT_NE(svg.find("<path d='M"), std::string::npos);
  // Not a terminal: plain progress lines with speed and time left.
  EXPECT_NE(r.err.find("samples/s, ETA "), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\r'), std::string::npos);

  auto bad_metric = bertcls::test::run_cli(train_args("bad", "--metric recall"));
  EXPECT_NE(bad_metric.exit_code, 0);  // a usage error, CLI11's code
  EXPECT_NE(bad_metric.err.find("--metric"), std::string::npos) << bad_metric.err;
}

}  // namespace
