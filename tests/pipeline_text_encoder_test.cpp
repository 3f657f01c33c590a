// Texts to model inputs, the one way every command takes: special tokens, truncation to
// max_length, pairs, and long texts cut into overlapping windows as HF's stride cuts them.
#include <gtest/gtest.h>

#include "pipeline/text_encoder.h"
#include "support/io_test_support.h"

namespace bertcls::pipeline {
namespace {

const text::Tokenizer& tokenizer() {
  static const text::Tokenizer tok = text::Tokenizer::from_directory(std::string(BERTCLS_SOURCE_DIR) + "/data/rubert-tiny2");
  return tok;
}

TextOptions options(std::size_t max_length, LongTexts mode = LongTexts::Truncate, std::optional<std::size_t> stride = {}) {
  return {max_length, mode, stride, WindowPooling::Mean};
}

std::vector<io::Example> examples() {
  std::vector<io::Example> ex(3);
  ex[0].text = "привет мир";
  ex[1].text = "очень длинный текст который не поместится в восемь токенов никак";
  ex[2].text = "вопрос";
  ex[2].text_pair = "ответ на вопрос";
  for (std::size_t i = 0; i < ex.size(); ++i) ex[i].line = i + 2;
  return ex;
}

std::vector<int32_t> ids(const train::EncodedExamples& enc, std::size_t w) {
  return {enc.ids_of(w).begin(), enc.ids_of(w).end()};
}

TEST(TextEncoder, SameIdsAsTheTokenizerWithSpecialTokensAndNoPadding) {
  const auto enc = TextEncoder(tokenizer(), 2048, options(512)).encode(examples(), "t.csv");
  ASSERT_EQ(enc.size(), 3u);
  ASSERT_EQ(enc.examples, 3u);
  const auto want = tokenizer().encode("привет мир");
  EXPECT_EQ(ids(enc, 0), want.ids);
  EXPECT_EQ(enc.ids_of(0).front(), tokenizer().cls_id());
  EXPECT_EQ(enc.ids_of(0).back(), tokenizer().sep_id());
  EXPECT_EQ(enc.lengths[0], static_cast<int>(want.ids.size()));
  EXPECT_EQ(enc.offsets.back(), enc.ids.size());
}

TEST(TextEncoder, TruncatesToMaxLengthKeepingSep) {
  const auto enc = TextEncoder(tokenizer(), 2048, options(8)).encode(examples(), "t.csv");
  EXPECT_EQ(enc.lengths[1], 8);
  EXPECT_EQ(enc.ids_of(1).back(), tokenizer().sep_id());
  EXPECT_LE(enc.lengths[2], 8);
}

TEST(TextEncoder, MaxLengthNeverExceedsThePositionEmbeddings) {
  EXPECT_EQ(TextEncoder(tokenizer(), 6, options(512)).max_length(), 6u);
  EXPECT_EQ(TextEncoder(tokenizer(), 64, options(0)).max_length(), 64u);
}

TEST(TextEncoder, PairsGetSegmentIdsOneForTheSecondText) {
  const auto enc = TextEncoder(tokenizer(), 2048, options(512)).encode(examples(), "t.csv");
  const auto types = enc.type_ids_of(2);
  const auto want = tokenizer().encode_pair("вопрос", "ответ на вопрос");
  EXPECT_EQ(std::vector<int32_t>(types.begin(), types.end()), want.type_ids);
  EXPECT_EQ(types.front(), 0);
  EXPECT_EQ(types.back(), 1);
}

TEST(TextEncoder, ChunkCutsALongTextIntoWindowsAsCutByHand) {
  // The text's 12 tokens without specials, windows of 8 = 6 text tokens, stride 2: text
  // tokens [0, 6), [4, 10), [8, 12), each as [CLS] ... [SEP].
  std::vector<io::Example> ex(2);
  ex[0].text = "очень длинный текст который не поместится в восемь токенов никак";
  ex[1].text = "привет";
  const text::Encoding all = tokenizer().encode(ex[0].text, false);
  ASSERT_EQ(all.size(), 12u) << "the hand-cut windows below assume 12 tokens";
  auto window = [&](std::size_t begin, std::size_t end) {
    std::vector<int32_t> w{tokenizer().cls_id()};
    w.insert(w.end(), all.ids.begin() + begin, all.ids.begin() + end);
    w.push_back(tokenizer().sep_id());
    return w;
  };
  const auto enc = TextEncoder(tokenizer(), 2048, options(8, LongTexts::Chunk, 2)).encode(ex, "t.csv");
  ASSERT_EQ(enc.size(), 4u);
  EXPECT_EQ(enc.examples, 2u);
  EXPECT_EQ(ids(enc, 0), window(0, 6));
  EXPECT_EQ(ids(enc, 1), window(4, 10));
  EXPECT_EQ(ids(enc, 2), window(8, 12));
  EXPECT_EQ(ids(enc, 3), tokenizer().encode("привет").ids);  // a short text is one window
  EXPECT_EQ(enc.example_of, (std::vector<std::size_t>{0, 0, 0, 1}));
}

TEST(TextEncoder, ChunkStrideDefaultsToAQuarterOfTheWindow) {
  std::vector<io::Example> ex(1);
  ex[0].text = "очень длинный текст который не поместится в восемь токенов никак";
  // Windows of 10 hold 8 text tokens; stride 2 starts them at 0 and 6 (the second reaches the end).
  const auto enc = TextEncoder(tokenizer(), 2048, options(10, LongTexts::Chunk)).encode(ex, "t.csv");
  EXPECT_EQ(enc.size(), 2u);
  EXPECT_EQ(enc.lengths, (std::vector<int>{10, 8}));
}

TEST(TextEncoder, ByteLevelBpeTokenizerTruncatesAndChunksTheSameWay) {
  const auto roberta = text::Tokenizer::from_directory(std::string(BERTCLS_FIXTURES) + "/tokenizers/roberta-gpt2");
  std::vector<io::Example> ex(1);
  ex[0].text = "a long text that needs more than eight tokens to say anything at all";
  const text::Encoding all = roberta.encode(ex[0].text, false);
  ASSERT_GT(all.size(), 10u);
  const auto truncated = TextEncoder(roberta, 2048, options(8)).encode(ex, "t.csv");
  std::vector<int32_t> want{roberta.cls_id()};
  want.insert(want.end(), all.ids.begin(), all.ids.begin() + 6);
  want.push_back(roberta.sep_id());
  EXPECT_EQ(ids(truncated, 0), want);
  const auto chunks = TextEncoder(roberta, 2048, options(8, LongTexts::Chunk, 2)).encode(ex, "t.csv");
  EXPECT_EQ(ids(chunks, 0), want);
  EXPECT_EQ(ids(chunks, 1).front(), roberta.cls_id());
  EXPECT_EQ(ids(chunks, 1)[1], all.ids[4]);  // the second window starts stride 2 tokens back
}

TEST(TextEncoder, RejectAndBadStrideAreErrorsNamingTheText) {
  const TextEncoder reject(tokenizer(), 2048, options(8, LongTexts::Reject));
  test::expect_error([&] { reject.encode(examples(), "t.csv"); }, {"t.csv:3", "more than the model's maximum of 8"});
  test::expect_error([] { TextEncoder(tokenizer(), 2048, options(8, LongTexts::Chunk, 6)); }, {"stride 6"});
  const TextEncoder chunk(tokenizer(), 2048, options(8, LongTexts::Chunk, 2));
  test::expect_error([&] { chunk.encode(examples(), "t.csv"); }, {"t.csv:4", "pairs"});
}

}  // namespace
}  // namespace bertcls::pipeline
