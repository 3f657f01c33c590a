// Encoding a dataset once for training: special tokens, truncation to --max-length, pairs.
#include <gtest/gtest.h>

#include "train/encoded_examples.h"

namespace bertcls::train {
namespace {

const text::Tokenizer& tokenizer() {
  static const text::Tokenizer tok = text::Tokenizer::from_directory(std::string(BERTCLS_SOURCE_DIR) + "/data/rubert-tiny2");
  return tok;
}

std::vector<io::Example> examples() {
  std::vector<io::Example> ex(3);
  ex[0].text = "привет мир";
  ex[1].text = "очень длинный текст который не поместится в восемь токенов никак";
  ex[2].text = "вопрос";
  ex[2].text_pair = "ответ на вопрос";
  return ex;
}

TEST(TrainEncodedExamples, SameIdsAsTheTokenizerWithSpecialTokensAndNoPadding) {
  const auto enc = encode_examples(tokenizer(), examples(), 512, "t.csv");
  ASSERT_EQ(enc.size(), 3u);
  const auto want = tokenizer().encode("привет мир");
  EXPECT_EQ(std::vector<int32_t>(enc.ids_of(0).begin(), enc.ids_of(0).end()), want.ids);
  EXPECT_EQ(enc.ids_of(0).front(), tokenizer().cls_id());
  EXPECT_EQ(enc.ids_of(0).back(), tokenizer().sep_id());
  EXPECT_EQ(enc.lengths[0], static_cast<int>(want.ids.size()));
  EXPECT_EQ(enc.offsets.back(), enc.ids.size());
}

TEST(TrainEncodedExamples, TruncatesToMaxLengthKeepingSep) {
  const auto enc = encode_examples(tokenizer(), examples(), 8, "t.csv");
  EXPECT_EQ(enc.lengths[1], 8);
  EXPECT_EQ(enc.ids_of(1).back(), tokenizer().sep_id());
  EXPECT_LE(enc.lengths[2], 8);
}

TEST(TrainEncodedExamples, PairsGetSegmentIdsOneForTheSecondText) {
  const auto enc = encode_examples(tokenizer(), examples(), 512, "t.csv");
  const auto types = enc.type_ids_of(2);
  const auto want = tokenizer().encode_pair("вопрос", "ответ на вопрос");
  EXPECT_EQ(std::vector<int32_t>(types.begin(), types.end()), want.type_ids);
  EXPECT_EQ(types.front(), 0);
  EXPECT_EQ(types.back(), 1);
}

}  // namespace
}  // namespace bertcls::train
