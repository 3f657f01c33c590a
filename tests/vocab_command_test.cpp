// bertcls vocab as a user runs it: the summary, and bad input as a clear error.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "support/cli_runner.h"

namespace {

namespace fs = std::filesystem;
using bertcls::test::run_cli;
using bertcls::test::slurp;

fs::path temp_path(const std::string& name) {
  return fs::temp_directory_path() / ("bertcls_vocabcli_" + std::to_string(::getpid()) + "_" + name);
}

fs::path write_file(const std::string& name, const std::string& content) {
  fs::path p = temp_path(name);
  std::ofstream(p, std::ios::binary) << content;
  return p;
}

TEST(VocabCommand, TrainsFromTheTextColumnOfACsvAndLinesOfAText) {
  const fs::path csv = write_file("texts.csv", "text,label\n\"ab, ab\",1\nac,0\n");
  const fs::path txt = write_file("more.txt", "ab\n");
  const fs::path out = temp_path("out");
  auto r = run_cli("vocab --texts '" + csv.string() + "' '" + txt.string() + "' --size 12 --out '" + out.string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("3 texts, 3 distinct words, alphabet of 4 characters: 12 tokens in "), std::string::npos) << r.err;
  // ab 3 times, plus the comma: the alphabet is , a b c.
  EXPECT_EQ(slurp(out / "vocab.txt"), "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n,\na\nb\nc\n##b\n##c\nab\n");
}

TEST(VocabCommand, OptionsReachTheTrainer) {
  const fs::path txt = write_file("opts.txt", "Ab Ab Ab Cd\n");
  const fs::path out = temp_path("opts");
  auto r = run_cli("vocab --texts '" + txt.string() + "' --out '" + out.string() +
                   "' --no-lowercase --min-frequency 2 --limit-alphabet 3 --special-tokens '[UNK]' '[CLS]' '[SEP]'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Counts A 3, b 3, C 1, d 1: C stays (code point before d), d goes; Cd is C alone.
  EXPECT_EQ(slurp(out / "vocab.txt"), "[UNK]\n[CLS]\n[SEP]\nA\nC\nb\n##b\nAb\n");

  // Lowercasing strips accents unless told not to; tokenizer.json says which.
  const fs::path accents = write_file("accents.txt", "Éa\n");
  r = run_cli("vocab --texts '" + accents.string() + "' --out '" + out.string() + "' --no-strip-accents --size 9");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(slurp(out / "vocab.txt"), "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\na\né\n##a\néa\n");
  EXPECT_NE(slurp(out / "tokenizer.json").find("\"strip_accents\": false"), std::string::npos);
}

TEST(VocabCommand, BadInputIsAClearErrorWithANonZeroExit) {
  const fs::path out = temp_path("bad");
  auto missing = run_cli("vocab --texts /nonexistent/texts.txt --out '" + out.string() + "'");
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.err.find("/nonexistent/texts.txt: cannot open"), std::string::npos) << missing.err;

  const fs::path bad_utf8 = write_file("bad.txt", "ok\nfine\nbad \xff here\n");
  auto utf8 = run_cli("vocab --texts '" + bad_utf8.string() + "' --out '" + out.string() + "'");
  EXPECT_NE(utf8.exit_code, 0);
  EXPECT_NE(utf8.err.find(bad_utf8.string() + ": line 3: invalid UTF-8"), std::string::npos) << utf8.err;

  const fs::path small = write_file("small.txt", "abc\n");
  auto size = run_cli("vocab --texts '" + small.string() + "' --size 8 --out '" + out.string() + "'");
  EXPECT_NE(size.exit_code, 0);
  EXPECT_NE(size.err.find("vocabulary size 8 is below the minimum 10: 5 special tokens, an alphabet of 3 characters"),
            std::string::npos)
      << size.err;

  const fs::path empty = write_file("empty.txt", "\n  \n");
  auto none = run_cli("vocab --texts '" + empty.string() + "' --out '" + out.string() + "'");
  EXPECT_NE(none.exit_code, 0);
  EXPECT_NE(none.err.find(empty.string() + ": no words to learn a vocabulary from (2 texts)"), std::string::npos)
      << none.err;

  auto specials = run_cli("vocab --texts '" + small.string() + "' --special-tokens '[PAD]' --out '" + out.string() + "'");
  EXPECT_NE(specials.exit_code, 0);
  EXPECT_NE(specials.err.find("special tokens: [UNK] is missing"), std::string::npos) << specials.err;
  EXPECT_FALSE(fs::exists(out));
}

}  // namespace
