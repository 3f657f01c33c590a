// Reading labelled examples from CSV, TSV and JSON Lines: quoting, line numbers, columns
// by name and the three kinds of labels. Bad input is in dataset_errors_test.cpp.
#include <gtest/gtest.h>

#include <bertcls/error.h>
#include "io/csv_reader.h"
#include "io/dataset.h"

namespace bertcls::io {
namespace {

const std::string kFixtures = std::string(BERTCLS_FIXTURES) + "/datasets/";

Dataset parse(std::string_view content, const std::string& source, DatasetOptions options = {}) {
  return parse_dataset(content, source, options);
}

TEST(DatasetCsv, SplitsQuotedFieldsAndCountsPhysicalLines) {
  const auto records = split_delimited("a,b\n\"x,y\",\"1\n2\"\n\n\"q\"\"q\",z", ',', "t.csv");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[1].fields, (std::vector<std::string>{"x,y", "1\n2"}));
  EXPECT_EQ(records[1].line, 2u);
  EXPECT_EQ(records[2].line, 5u);  // line 4 was the empty line after the two-line record
  EXPECT_EQ(records[2].fields, (std::vector<std::string>{"q\"q", "z"}));
}

TEST(DatasetCsv, QuoteInsideUnquotedFieldIsLiteralAndTrailingDelimiterMakesEmptyField) {
  const auto records = split_delimited("he said \"hi\" there,1,\r", ',', "t.csv");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].fields, (std::vector<std::string>{"he said \"hi\" there", "1", ""}));
}

TEST(DatasetCsv, LoneCarriageReturnEndsARecordAndCrlfInsideQuotesIsKept) {
  const auto records = split_delimited("a\rb\r\n\"c\r\nd\"\n", ',', "t.csv");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[1].line, 2u);
  EXPECT_EQ(records[2].fields[0], "c\r\nd");
  EXPECT_EQ(records[2].line, 3u);
}

TEST(DatasetCsv, ReadsBomCrlfQuotesAndMultilineFieldsFromFile) {
  const Dataset d = read_dataset(kFixtures + "bom_crlf_quoted.csv", {});
  ASSERT_EQ(d.examples.size(), 3u);
  EXPECT_EQ(d.examples[0].text, "hello, world");
  EXPECT_EQ(d.examples[1].text, "she said \"hi\"\r\nthen left");
  EXPECT_EQ(d.examples[1].line, 3u);
  EXPECT_EQ(d.examples[2].line, 5u);
  // String labels are sorted: neg = 0, pos = 1.
  EXPECT_EQ(d.labels.id2label(), (std::vector<std::string>{"neg", "pos"}));
  EXPECT_EQ(d.examples[0].label, 1);
  EXPECT_EQ(d.examples[1].label, 0);
}

TEST(DatasetTsv, ReadsPairsByColumnNameIgnoringOtherColumns) {
  DatasetOptions o;
  o.text_column = "sentence";
  o.text_pair_column = "sentence2";
  const Dataset d = read_dataset(kFixtures + "pairs.tsv", o);
  ASSERT_EQ(d.examples.size(), 2u);
  EXPECT_EQ(d.examples[0].text, "the cat");
  EXPECT_EQ(d.examples[0].text_pair, "sat down");
  EXPECT_EQ(d.examples[1].text, "tab\tinside");
  EXPECT_EQ(d.examples[1].label, 1);
}

TEST(DatasetJsonl, ReadsMultiLabelListsAndBarSeparatedLabels) {
  DatasetOptions o;
  o.task = Task::MultiLabel;
  const Dataset d = read_dataset(kFixtures + "multi.jsonl", o);
  ASSERT_EQ(d.examples.size(), 3u);
  EXPECT_EQ(d.labels.id2label(), (std::vector<std::string>{"0", "1", "3"}));
  EXPECT_EQ(d.examples[0].labels, (std::vector<int>{0, 2}));
  EXPECT_TRUE(d.examples[1].labels.empty());
  EXPECT_EQ(d.examples[1].line, 3u);  // line 2 is blank
  EXPECT_EQ(d.examples[2].labels, (std::vector<int>{1, 2}));
  EXPECT_EQ(d.examples[2].label, -1);
}

TEST(DatasetJsonl, LabelsMayBeNumbersOrStringsAndCrlfIsAccepted) {
  const Dataset d = parse("{\"text\":\"a\",\"label\":1}\r\n{\"text\":\"b\",\"label\":\"0\"}\r\n", "t.jsonl");
  EXPECT_EQ(d.labels.id2label(), (std::vector<std::string>{"0", "1"}));
  EXPECT_EQ(d.examples[0].label, 1);
  EXPECT_EQ(d.examples[1].label, 0);
}

TEST(DatasetLabels, IntegerLabelsSortNumericallySoIdsFollowValues) {
  const Dataset d = parse("text,label\na,10\nb,2\nc,-1\nd,2\n", "t.csv");
  EXPECT_EQ(d.labels.id2label(), (std::vector<std::string>{"-1", "2", "10"}));
  EXPECT_EQ(d.examples[0].label, 2);
  EXPECT_EQ(d.examples[2].label, 0);
}

TEST(DatasetLabels, StringLabelsSortByBytesWhateverTheRowOrder) {
  const Dataset a = parse("text,label\nx,pos\ny,neg\nz, neutral \n", "t.csv");
  const Dataset b = parse("text,label\nx,neutral\ny,pos\nz,neg\n", "t.csv");
  EXPECT_EQ(a.labels.id2label(), (std::vector<std::string>{"neg", "neutral", "pos"}));
  EXPECT_EQ(a.labels.id2label(), b.labels.id2label());
  EXPECT_EQ(a.examples[2].label, 1);  // " neutral " is trimmed
}

TEST(DatasetLabels, MixedIntegerAndStringLabelsSortAsStrings) {
  const Dataset d = parse("text,label\na,10\nb,2\nc,x\n", "t.csv");
  EXPECT_EQ(d.labels.id2label(), (std::vector<std::string>{"10", "2", "x"}));
}

TEST(DatasetLabels, GivenLabelSetKeepsItsIds) {
  DatasetOptions o;
  o.labels = LabelSet({"pos", "neg"});
  const Dataset d = parse("text,label\na,neg\nb,pos\n", "t.csv", o);
  EXPECT_EQ(d.labels.id2label(), (std::vector<std::string>{"pos", "neg"}));
  EXPECT_EQ(d.examples[0].label, 1);
  EXPECT_EQ(d.examples[1].label, 0);
}

TEST(DatasetLabels, LabelSetRejectsDuplicatesAndEmptyNames) {
  EXPECT_THROW(LabelSet({"a", "a"}), Error);
  EXPECT_THROW(LabelSet({"a", ""}), Error);
  EXPECT_EQ(LabelSet({"a", "b"}).id_of("c"), -1);
}

TEST(DatasetLabels, MultiLabelAcceptsStringListsAndDropsRepeats) {
  DatasetOptions o;
  o.task = Task::MultiLabel;
  const Dataset d = parse("text,label\na,\"[\"\"b\"\", \"\"a\"\", \"\"b\"\"]\"\nb, c | a \n", "t.csv", o);
  EXPECT_EQ(d.labels.id2label(), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(d.examples[0].labels, (std::vector<int>{0, 1}));
  EXPECT_EQ(d.examples[1].labels, (std::vector<int>{0, 2}));
}

// The label names a multi-label CSV cell holds, in label-set order.
std::vector<std::string> label_names(const std::string& cell) {
  DatasetOptions o;
  o.task = Task::MultiLabel;
  const Dataset d = parse("text,label\nx," + cell + "\n", "t.csv", o);
  std::vector<std::string> names;
  for (int id : d.examples.at(0).labels) names.push_back(d.labels.id2label()[id]);
  return names;
}

// pandas writes a column of NumPy arrays with str() (spaces between items, columns
// padded, long arrays wrapped) and a column of Python lists as ['a', 'b'].
TEST(DatasetLabels, MultiLabelReadsListsAsJsonPythonAndNumpyWriteThem) {
  using Names = std::vector<std::string>;
  const std::vector<std::pair<std::string, Names>> cells = {
      {"[1 2]", {"1", "2"}},
      {"[1  2]", {"1", "2"}},
      {"[ 3 10]", {"3", "10"}},
      {"\"[0\n 2]\"", {"0", "2"}},
      {"\"[0, 3]\"", {"0", "3"}},
      {"[007]", {"7"}},
      {"['joy' 'fear']", {"fear", "joy"}},
      {"\"[\"\"joy\"\" \"\"fear\"\"]\"", {"fear", "joy"}},
      {"\"['joy', 'anger']\"", {"anger", "joy"}},
      {"\"[\"\"don't\"\" 'say \\'hi\\'']\"", {"don't", "say 'hi'"}},
      {"['радость' 'страх']", {"радость", "страх"}},
      {"[]", {}},
  };
  for (const auto& [cell, names] : cells) EXPECT_EQ(label_names(cell), names) << cell;
}

TEST(DatasetLabels, RegressionReadsFloatTargetsAndNoLabelSet) {
  DatasetOptions o;
  o.task = Task::Regression;
  const Dataset d = parse("{\"text\":\"a\",\"label\":0.25}\n{\"text\":\"b\",\"label\":\"-3e2\"}\n", "t.jsonl", o);
  EXPECT_FLOAT_EQ(d.examples[0].target, 0.25f);
  EXPECT_FLOAT_EQ(d.examples[1].target, -300.0f);
  EXPECT_TRUE(d.labels.empty());
}

TEST(DatasetColumns, UnlabelledInputNeedsOnlyTheTextColumn) {
  DatasetOptions o;
  o.label_column = "";
  o.text_column = "review";
  const Dataset d = parse("review\ngood\nbad\n", "t.csv", o);
  ASSERT_EQ(d.examples.size(), 2u);
  EXPECT_EQ(d.examples[1].text, "bad");
  EXPECT_EQ(d.examples[1].label, -1);
  EXPECT_TRUE(d.labels.empty());
}

TEST(DatasetFormat, ExtensionOrExplicitFormatChoosesTheReader) {
  EXPECT_EQ(data_format_of("a/b.CSV"), DataFormat::Csv);
  EXPECT_EQ(data_format_of("x.tsv"), DataFormat::Tsv);
  EXPECT_EQ(data_format_of("x.json"), DataFormat::Jsonl);
  EXPECT_EQ(data_format_of("x.ndjson"), DataFormat::Jsonl);
  EXPECT_EQ(parse_data_format("tsv"), DataFormat::Tsv);
  DatasetOptions o;
  o.format = DataFormat::Tsv;
  const Dataset d = parse("text\tlabel\na,b\t1\n", "data.txt", o);
  EXPECT_EQ(d.examples[0].text, "a,b");
}

TEST(DatasetFormat, TutorialSampleReadsWithLabelZeroAsIdZero) {
  const Dataset d = read_dataset(std::string(BERTCLS_SOURCE_DIR) + "/data/rutweetcorp-sample/train.csv", {});
  EXPECT_GT(d.examples.size(), 10u);
  EXPECT_EQ(d.labels.id2label(), (std::vector<std::string>{"0", "1"}));
  EXPECT_EQ(d.skipped_rows, 0u);
}

}  // namespace
}  // namespace bertcls::io
