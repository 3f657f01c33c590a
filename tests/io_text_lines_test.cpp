// Texts one per line (io/text_lines.h), the plain input of `bertcls tokenize` and
// `bertcls predict`: line numbers, CRLF, stdin, and the two answers to invalid UTF-8.
#include <gtest/gtest.h>

#include <iostream>
#include <sstream>

#include "io/text_lines.h"
#include "support/io_test_support.h"

namespace bertcls::io {
namespace {

using test::expect_error;
using bertcls::InvalidUtf8Policy;

std::string write_text(const test::ScratchDir& dir, const std::string& content) {
  const std::string path = (dir / "texts.txt").string();
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

std::vector<std::pair<std::string, std::size_t>> texts_and_numbers(const std::vector<TextLine>& lines) {
  std::vector<std::pair<std::string, std::size_t>> out;
  for (const TextLine& l : lines) out.emplace_back(l.text, l.number);
  return out;
}

TEST(TextLines, EachLineIsATextWithItsOneBasedNumberAndCrlfEndingsAreDropped) {
  test::ScratchDir dir;
  const auto lines = read_text_lines(write_text(dir, "мир\r\n\nмир мир\nno final newline"), InvalidUtf8Policy::kError);
  EXPECT_EQ(texts_and_numbers(lines), (std::vector<std::pair<std::string, std::size_t>>{
                                          {"мир", 1}, {"", 2}, {"мир мир", 3}, {"no final newline", 4}}));
}

TEST(TextLines, AnEmptyFileHasNoTexts) {
  test::ScratchDir dir;
  EXPECT_TRUE(read_text_lines(write_text(dir, ""), InvalidUtf8Policy::kError).empty());
}

TEST(TextLines, DashReadsStdinAndNamesItStdin) {
  std::istringstream fake("first\r\nsecond\n");
  std::streambuf* saved = std::cin.rdbuf(fake.rdbuf());
  TextLineReader reader("-", InvalidUtf8Policy::kError);
  const auto first = reader.next(), second = reader.next(), end = reader.next();
  std::cin.rdbuf(saved);
  EXPECT_EQ(reader.name(), "stdin");
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->text, "first");
  EXPECT_EQ(second->text, "second");
  EXPECT_EQ(second->number, 2u);
  EXPECT_FALSE(end);
}

TEST(TextLines, InvalidUtf8IsAnErrorNamingFileAndLine) {
  test::ScratchDir dir;
  const std::string path = write_text(dir, "ok\nbad \xC3\x28 byte\n");
  expect_error([&] { read_text_lines(path, InvalidUtf8Policy::kError); },
               {path + ": line 2: invalid UTF-8 at byte 4"});
}

TEST(TextLines, InvalidUtf8BecomesOneReplacementCharacterPerMaximalInvalidSequence) {
  test::ScratchDir dir;
  // C3 28: a lead byte cut short; F0 9F 98: three bytes of a four-byte emoji; FF: never valid.
  const auto lines = read_text_lines(write_text(dir, "bad \xC3\x28 byte\na\xF0\x9F\x98z\xFF\n"), InvalidUtf8Policy::kReplace);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].text, "bad \uFFFD( byte");
  EXPECT_EQ(lines[1].text, "a\uFFFDz\uFFFD");
}

TEST(TextLines, AMissingFileIsAnErrorNamingIt) {
  expect_error([] { read_text_lines("/nonexistent/texts.txt", InvalidUtf8Policy::kError); },
               {"/nonexistent/texts.txt: cannot open"});
}

}  // namespace
}  // namespace bertcls::io
