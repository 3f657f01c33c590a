// Bad dataset input: every problem is a bertcls::Error naming the file, the line and the
// column (or field), or, with skip_bad_rows, a counted and reported skip.
#include <gtest/gtest.h>

#include <bertcls/error.h>
#include "io/dataset.h"

namespace bertcls::io {
namespace {

// The message parse_dataset throws for content, or "" when it does not throw.
std::string error_of(std::string_view content, const std::string& source, DatasetOptions options = {}) {
  try {
    parse_dataset(content, source, options);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

#define EXPECT_HAS(haystack, needle) EXPECT_NE((haystack).find(needle), std::string::npos) << (haystack)

TEST(DatasetErrors, MissingColumnNamesItAndListsTheHeader) {
  const std::string e = error_of("sentence,label\na,1\n", "train.csv");
  EXPECT_HAS(e, "train.csv:1: no column 'text' (the header has: sentence, label)");
  DatasetOptions o;
  o.text_pair_column = "pair";
  EXPECT_HAS(error_of("text,label\na,1\n", "t.csv", o), "t.csv:1: no column 'pair'");
}

TEST(DatasetErrors, DuplicateColumnInHeader) {
  EXPECT_HAS(error_of("text,text,label\na,b,1\n", "t.csv"), "t.csv:1: column 'text' appears twice");
}

TEST(DatasetErrors, WrongFieldCountNamesLineOfRecordStart) {
  const std::string e = error_of("text,label\n\"two\nlines\",1\na,b,1\n", "t.csv");
  EXPECT_HAS(e, "t.csv:4: expected 2 fields as in the header, found 3");
}

TEST(DatasetErrors, UnclosedQuoteNamesWhereItOpened) {
  EXPECT_HAS(error_of("text,label\nok,1\nx,\"1\nmore\n", "t.csv"), "t.csv:3: the quoted field opened at column 3 never closes");
}

TEST(DatasetErrors, TextAfterClosingQuote) {
  EXPECT_HAS(error_of("text,label\n\"ab\"c,1\n", "t.csv"), "t.csv:2: column 5: text after the closing quote");
}

TEST(DatasetErrors, InvalidUtf8NamesColumnLineAndCharacter) {
  // The bad byte is on the second physical line of a quoted field starting on line 2.
  const std::string e = error_of("text,label\n\"ok\n\xc3\xa9t\xff\",1\n", "t.csv");
  EXPECT_HAS(e, "t.csv:2: column 'text': invalid UTF-8 at line 3, column 3 (byte 0xff)");
  EXPECT_HAS(error_of("{\"text\": \"a\xc0\xaf\", \"label\": 1}\n", "t.jsonl"), "t.jsonl:1: invalid UTF-8 at line 1, column 12 (byte 0xc0)");
}

TEST(DatasetErrors, EmptyTextAndEmptyPair) {
  EXPECT_HAS(error_of("text,label\na,1\n  ,0\n", "t.csv"), "t.csv:3: column 'text': empty text");
  DatasetOptions o;
  o.text_pair_column = "second";
  EXPECT_HAS(error_of("text,second,label\na,,1\n", "t.csv", o), "t.csv:2: column 'second': empty text");
  EXPECT_HAS(error_of("{\"text\": \"\", \"label\": 1}\n", "t.jsonl"), "t.jsonl:1: field 'text': empty text");
}

TEST(DatasetErrors, EmptyLabel) {
  EXPECT_HAS(error_of("text,label\na,\n", "t.csv"), "t.csv:2: column 'label': empty label");
  DatasetOptions o;
  o.task = Task::MultiLabel;
  EXPECT_HAS(error_of("text,label\na,\n", "t.csv", o), "write [] for a row without labels");
  EXPECT_HAS(error_of("text,label\na,x||y\n", "t.csv", o), "t.csv:2: column 'label': label 'x||y' has an empty item");
}

TEST(DatasetErrors, UnknownLabelAgainstAGivenLabelSet) {
  DatasetOptions o;
  o.labels = LabelSet({"neg", "pos"});
  EXPECT_HAS(error_of("text,label\na,pos\nb,neutral\n", "test.csv", o),
             "test.csv:3: column 'label': unknown label 'neutral' (known: neg, pos)");
  o.task = Task::MultiLabel;
  EXPECT_HAS(error_of("text,label\na,pos|meh\n", "t.csv", o), "t.csv:2: column 'label': unknown label 'meh'");
}

TEST(DatasetErrors, NonNumericRegressionTarget) {
  DatasetOptions o;
  o.task = Task::Regression;
  EXPECT_HAS(error_of("text,label\na,0.5\nb,high\n", "t.csv", o), "t.csv:3: column 'label': regression target 'high' is not a finite number");
  EXPECT_HAS(error_of("text,label\na,nan\n", "t.csv", o), "not a finite number");
  EXPECT_HAS(error_of("{\"text\":\"a\",\"label\":[1]}\n", "t.jsonl", o), "t.jsonl:1: field 'label': regression target '[1]'");
}

TEST(DatasetErrors, ListLabelWithoutMultiLabelAndBadLists) {
  EXPECT_HAS(error_of("{\"text\":\"a\",\"label\":[0,1]}\n", "t.jsonl"), "t.jsonl:1: field 'label': label '[0,1]' is a list; multi-label data needs --multi-label");
  DatasetOptions o;
  o.task = Task::MultiLabel;
  EXPECT_HAS(error_of("{\"text\":\"a\",\"label\":[0,1.5]}\n", "t.jsonl", o),
             "t.jsonl:1: field 'label': label '[0,1.5]' is not a valid list: item 1.5 at character 4 is neither an "
             "integer nor a quoted string");
  EXPECT_HAS(error_of("text,label\na,\"[0,\"\n", "t.csv", o), "t.csv:2: column 'label': label '[0,' is not a valid list");
}

// Each malformed list names the file, the line, the column and the character in the list.
TEST(DatasetErrors, MalformedLabelListsSayWhatIsWrongAndWhere) {
  DatasetOptions o;
  o.task = Task::MultiLabel;
  EXPECT_HAS(error_of("text,label\nok,[1]\na,[1 2\n", "t.csv", o),
             "t.csv:3: column 'label': label '[1 2' is not a valid list: the '[' is never closed");
  const std::vector<std::pair<std::string, std::string>> cells = {
      {"['joy' 'fear]", "the quote at character 8 is never closed"},
      {"[\"joy]", "the quote at character 2 is never closed"},
      {"[1 x 2]", "item x at character 4 is neither an integer nor a quoted string"},
      {"[1. 0.]", "item 1. at character 2 is neither an integer nor a quoted string"},
      {"['страх' x]", "item x at character 10"},
      {"[1 2] 3", "text after the closing ']' at character 7"},
      {"['a''b']", "expected ',', a space or ']' at character 5, found '"},
      {"\"[1,,2]\"", "a ',' with no item before it at character 4"},
      {"\"[1, ]\"", "no item after the ',' before character 5"},
      {"[' ']", "an empty label at character 2"},
      {"['a\\n']", "the escape \\n at character 4 is not supported"},
  };
  for (const auto& [cell, problem] : cells) EXPECT_HAS(error_of("text,label\na," + cell + "\n", "t.csv", o), problem);
}

TEST(DatasetErrors, JsonlBadLinesMissingFieldsAndWrongTypes) {
  EXPECT_HAS(error_of("{\"text\":\"a\",\"label\":1}\n{\"text\": tru}\n", "t.jsonl"), "t.jsonl:2: invalid JSON at column");
  EXPECT_HAS(error_of("[1, 2]\n", "t.jsonl"), "t.jsonl: a JSON array; bertcls reads JSON Lines");
  EXPECT_HAS(error_of("\"just a string\"\n", "t.jsonl"), "t.jsonl:1: expected a JSON object, found string");
  EXPECT_HAS(error_of("{\"sentence\":\"a\",\"label\":1}\n", "t.jsonl"), "t.jsonl:1: no field 'text' (the object has: label, sentence)");
  EXPECT_HAS(error_of("{\"text\":3,\"label\":1}\n", "t.jsonl"), "t.jsonl:1: field 'text' must be a string, found number");
  EXPECT_HAS(error_of("{\"text\":\"a\",\"label\":null}\n", "t.jsonl"), "t.jsonl:1: field 'label' must be a string, number or list, found null");
}

TEST(DatasetErrors, FileLevelProblems) {
  EXPECT_HAS(error_of("", "t.csv"), "t.csv: empty file");
  EXPECT_HAS(error_of("text,label\n", "t.csv"), "t.csv: no usable rows");
  EXPECT_HAS(error_of("a,b\n", "data.txt"), "data.txt: cannot tell the format from the extension");
  EXPECT_THROW(parse_data_format("xml"), Error);
  try {
    read_dataset("/nonexistent/train.csv", {});
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_HAS(std::string(e.what()), "/nonexistent/train.csv: cannot open");
  }
}

TEST(DatasetErrors, SkipBadRowsCountsThemAndKeepsTheFirstReasons) {
  DatasetOptions o;
  o.skip_bad_rows = true;
  std::string content = "text,label\ngood,1\n,0\na,b,c\n\"x\"y,1\nok,0\n";
  for (int i = 0; i < 5; ++i) content += "too,many,fields\n";
  const Dataset d = parse_dataset(content, "t.csv", o);
  ASSERT_EQ(d.examples.size(), 2u);
  EXPECT_EQ(d.examples[1].line, 6u);
  EXPECT_EQ(d.skipped_rows, 8u);
  ASSERT_EQ(d.skip_reasons.size(), kKeptSkipReasons);
  EXPECT_HAS(d.skip_reasons[0], "t.csv:3: column 'text': empty text");
  EXPECT_HAS(d.skip_reasons[1], "t.csv:4: expected 2 fields");
  EXPECT_HAS(d.skip_reasons[2], "t.csv:5: column 4: text after the closing quote");
}

TEST(DatasetErrors, SkippingEveryRowStillFailsWithTheFirstReason) {
  DatasetOptions o;
  o.skip_bad_rows = true;
  EXPECT_HAS(error_of("text,label\n,1\n", "t.csv", o), "t.csv: no usable rows (1 skipped; first: t.csv:2: column 'text': empty text)");
}

TEST(DatasetErrors, SkipBadRowsDoesNotHideFileLevelProblems) {
  DatasetOptions o;
  o.skip_bad_rows = true;
  EXPECT_HAS(error_of("sentence,label\na,1\n", "t.csv", o), "no column 'text'");
}

}  // namespace
}  // namespace bertcls::io
