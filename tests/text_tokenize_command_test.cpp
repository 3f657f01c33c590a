// bertcls tokenize as a user runs it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/cli_runner.h"

namespace {

namespace fs = std::filesystem;
using bertcls::test::run_cli;
const std::string kTok = std::string("--tokenizer '") + BERTCLS_SOURCE_DIR + "/data/rubert-tiny2' ";

fs::path write_file(const std::string& name, const std::string& content) {
  fs::path p = fs::temp_directory_path() / ("bertcls_tokcli_" + std::to_string(::getpid()) + "_" + name);
  std::ofstream(p, std::ios::binary) << content;
  return p;
}

TEST(TokenizeCommand, PrintsOneJsonLinePerTextArgument) {
  auto r = run_cli("tokenize " + kTok + "'Привет, мир!' 'ёжик в тумане'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "{\"ids\":[2,51343,16,9311,5,3],\"type_ids\":[0,0,0,0,0,0],"
            "\"tokens\":[\"[CLS]\",\"Привет\",\",\",\"мир\",\"!\",\"[SEP]\"],"
            "\"offsets\":[[0,0],[0,6],[6,7],[8,11],[11,12],[0,0]]}\n"
            "{\"ids\":[2,345,52675,314,76936,3],\"type_ids\":[0,0,0,0,0,0],"
            "\"tokens\":[\"[CLS]\",\"ё\",\"##жик\",\"в\",\"тумане\",\"[SEP]\"],"
            "\"offsets\":[[0,0],[0,1],[1,4],[5,6],[7,13],[0,0]]}\n");
}

TEST(TokenizeCommand, ReadsAPlainFileLineByLine) {
  fs::path in = write_file("plain.txt", "мир\r\n\nмир мир\n");
  auto r = run_cli("tokenize " + kTok + "--input '" + in.string() + "' --no-special-tokens");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "{\"ids\":[9311],\"type_ids\":[0],\"tokens\":[\"мир\"],\"offsets\":[[0,3]]}\n"
            "{\"ids\":[],\"type_ids\":[],\"tokens\":[],\"offsets\":[]}\n"
            "{\"ids\":[9311,9311],\"type_ids\":[0,0],\"tokens\":[\"мир\",\"мир\"],\"offsets\":[[0,3],[4,7]]}\n");
}

// HF 0.23's pair rule: with one token of budget left after [CLS] [SEP] [SEP], the
// first text (1 token) and the second (2) get max_length / 2 = 0 and 1.
TEST(TokenizeCommand, JsonlPairsGetSecondSequenceTypeIdsAndMaxLengthTruncates) {
  fs::path in = write_file("pairs.jsonl", "{\"text\": \"мир\", \"text_pair\": \"мир мир\"}\n{\"text\": \"мир мир мир\"}\n");
  auto r = run_cli("tokenize " + kTok + "--jsonl --max-length 4 --input '" + in.string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "{\"ids\":[2,3,9311,3],\"type_ids\":[0,0,1,1],\"tokens\":[\"[CLS]\",\"[SEP]\",\"мир\",\"[SEP]\"],"
            "\"offsets\":[[0,0],[0,0],[0,3],[0,0]]}\n"
            "{\"ids\":[2,9311,9311,3],\"type_ids\":[0,0,0,0],\"tokens\":[\"[CLS]\",\"мир\",\"мир\",\"[SEP]\"],"
            "\"offsets\":[[0,0],[0,3],[4,7],[0,0]]}\n");
}

// HF 0.23 stops tokenizing each text at max_length tokens before it truncates the pair,
// so 20 and 19 words both count as 16 and tie: the second text gets the odd token.
TEST(TokenizeCommand, PairOfLongTextsGivesTheOddTokenToTheSecondAsHuggingFaceDoes) {
  fs::path in = write_file("long_pair.jsonl", "{\"text\": \"a a a a a a a a a a a a a a a a a a a a\", "
                                              "\"text_pair\": \"b b b b b b b b b b b b b b b b b b b\"}\n");
  auto r = run_cli("tokenize " + kTok + "--jsonl --max-length 16 --input '" + in.string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto line = nlohmann::json::parse(r.out);
  EXPECT_EQ(line["tokens"], nlohmann::json({"[CLS]", "a", "a", "a", "a", "a", "a", "[SEP]",
                                            "b", "b", "b", "b", "b", "b", "b", "[SEP]"}));
  EXPECT_EQ(line["type_ids"], nlohmann::json({0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1}));
}

TEST(TokenizeCommand, ByteLevelBpeTokenizerJsonWorksAsIs) {
  const std::string roberta = std::string("--tokenizer '") + BERTCLS_FIXTURES + "/tokenizers/roberta-gpt2' ";
  auto r = run_cli("tokenize " + roberta + "'Hello <mask>!'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "{\"ids\":[0,15500,50264,4,2],\"type_ids\":[0,0,0,0,0],"
            "\"tokens\":[\"<s>\",\"Hello\",\" <mask>\",\"!\",\"</s>\"],"
            "\"offsets\":[[0,0],[0,5],[6,12],[12,13],[0,0]]}\n");
}

TEST(TokenizeCommand, InvalidUtf8NamesTheLineUnlessReplacementIsAsked) {
  fs::path in = write_file("bad.txt", "мир\nbad \xC3\x28 byte\n");
  auto r = run_cli("tokenize " + kTok + "--input '" + in.string() + "'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("line 2: invalid UTF-8 at byte 4"), std::string::npos) << r.err;
  r = run_cli("tokenize " + kTok + "--replace-invalid-utf8 --input '" + in.string() + "'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // U+FFFD is dropped by clean_text but still counts in the offsets.
  EXPECT_NE(r.out.find("\"tokens\":[\"[CLS]\",\"мир\",\"[SEP]\"]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"tokens\":[\"[CLS]\",\"bad\",\"(\",\"byte\",\"[SEP]\"],\"offsets\":[[0,0],[0,3],[5,6],[7,11],[0,0]]"),
            std::string::npos) << r.out;
}

TEST(TokenizeCommand, BadJsonlLinesAreErrorsNamingLineAndField) {
  fs::path in = write_file("bad.jsonl", "{\"text\": \"ok\"}\n{\"txt\": \"typo\"}\n");
  auto r = run_cli("tokenize " + kTok + "--jsonl --input '" + in.string() + "'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("line 2: field \"text\" is missing"), std::string::npos) << r.err;
  in = write_file("bad2.jsonl", "{\"text\": 5}\n");
  r = run_cli("tokenize " + kTok + "--jsonl --input '" + in.string() + "'");
  EXPECT_NE(r.err.find("line 1: field \"text\" is not a string"), std::string::npos) << r.err;
  r = run_cli("tokenize --tokenizer /nonexistent x");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("/nonexistent"), std::string::npos) << r.err;
}

}  // namespace
