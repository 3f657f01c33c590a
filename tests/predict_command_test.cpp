// bertcls predict as a user runs it: JSON lines (or CSV) per text, inputs from arguments,
// plain files and tables, and clear errors.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/cli_runner.h"
#include <bertcls/classifier.h>
#include "support/tiny_model.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

class PredictCommand : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir = new fs::path(fs::temp_directory_path() / ("bertcls_predict_" + std::to_string(::getpid())));
    bertcls::test::make_tiny_model_folder(*dir / "model");
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir);
    delete dir;
  }
  static std::vector<json> json_lines(const std::string& out) {
    std::vector<json> lines;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
    return lines;
  }
  std::string model() const { return "--model '" + (*dir / "model").string() + "'"; }
  static fs::path* dir;
};
fs::path* PredictCommand::dir = nullptr;

TEST_F(PredictCommand, PrintsLabelAndScoresPerTextEqualToTheLibrary) {
  auto r = bertcls::test::run_cli("predict " + model() + " --logits 'хороший день' 'плохой день'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto lines = json_lines(r.out);
  ASSERT_EQ(lines.size(), 2u);
  auto clf = bertcls::Classifier::load((*dir / "model").string());
  auto expected = clf.predict_inputs(std::vector<bertcls::TextInput>{{"хороший день", std::nullopt}, {"плохой день", std::nullopt}});
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(lines[i]["label"], clf.labels()[expected[i].label]);
    EXPECT_EQ(lines[i]["scores"].size(), 2u);
    EXPECT_FLOAT_EQ(lines[i]["scores"]["negative"].get<float>(), expected[i].scores[0]);
    EXPECT_FLOAT_EQ(lines[i]["scores"]["positive"].get<float>(), expected[i].scores[1]);
    EXPECT_FLOAT_EQ(lines[i]["logits"][1].get<float>(), expected[i].logits[1]);
  }
  EXPECT_NE(lines[0]["scores"], lines[1]["scores"]) << "different texts, different scores";
}

TEST_F(PredictCommand, ReadsPlainFilesTablesAndStdin) {
  std::ofstream(*dir / "texts.txt") << "первый\r\nвторой\n";
  std::ofstream(*dir / "texts.csv") << "id,text\n1,первый\n2,\"второй, с запятой\"\n";
  auto plain = bertcls::test::run_cli("predict " + model() + " --input '" + (*dir / "texts.txt").string() + "'");
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_EQ(json_lines(plain.out).size(), 2u);
  auto table = bertcls::test::run_cli("predict " + model() + " --input '" + (*dir / "texts.csv").string() +
                                      "' --output-format csv --top-k 1");
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_EQ(table.out.substr(0, table.out.find('\n')), "text,label,score_negative,score_positive");
  EXPECT_NE(table.out.find("\"второй, с запятой\","), std::string::npos) << table.out;
  auto piped = bertcls::test::run_cli("predict " + model() + " --input - --top-k 1", "первый\nвторой\n");
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  auto lines = json_lines(piped.out);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["scores"].size(), 1u);
  EXPECT_EQ(lines[0]["scores"].begin().key(), lines[0]["label"]);
}

TEST_F(PredictCommand, ErrorsNameWhatIsWrong) {
  auto no_model = bertcls::test::run_cli("predict --model ./no/such/model 'текст'");
  EXPECT_EQ(no_model.exit_code, 1);
  EXPECT_NE(no_model.err.find("no such folder"), std::string::npos) << no_model.err;
  auto no_texts = bertcls::test::run_cli("predict " + model() + " --input - ");
  EXPECT_EQ(no_texts.exit_code, 1);
  EXPECT_NE(no_texts.err.find("no texts"), std::string::npos) << no_texts.err;
  auto bad_utf8 = bertcls::test::run_cli("predict " + model() + " --input -", "ok\n\xff\xfe\n");
  EXPECT_EQ(bad_utf8.exit_code, 1);
  EXPECT_NE(bad_utf8.err.find("stdin: line 2"), std::string::npos) << bad_utf8.err;
  std::ofstream(*dir / "no_text_column.csv") << "body\nпривет\n";
  auto no_column = bertcls::test::run_cli("predict " + model() + " --input '" + (*dir / "no_text_column.csv").string() + "'");
  EXPECT_EQ(no_column.exit_code, 1);
  EXPECT_NE(no_column.err.find("text"), std::string::npos) << no_column.err;
}

TEST_F(PredictCommand, QuantizeInt8ScoresAsTheLibraryDoes) {
  auto r = bertcls::test::run_cli("predict " + model() + " --quantize int8 'хороший день'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto lines = json_lines(r.out);
  ASSERT_EQ(lines.size(), 1u);
  auto clf = bertcls::Classifier::load((*dir / "model").string(), {}, {.quantize = bertcls::Quantization::Int8});
  const auto expected = clf.predict({"хороший день"});
  EXPECT_FLOAT_EQ(lines[0]["scores"]["positive"].get<float>(), expected[0].scores[1]);
  auto both = bertcls::test::run_cli("predict " + model() + " --quantize int8 --precision bf16 'текст'");
  EXPECT_EQ(both.exit_code, 1);
  EXPECT_NE(both.err.find("exclude each other"), std::string::npos) << both.err;
  auto unknown = bertcls::test::run_cli("predict " + model() + " --quantize int4 'текст'");
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_NE(unknown.err.find("--quantize"), std::string::npos) << unknown.err;
}

}  // namespace
