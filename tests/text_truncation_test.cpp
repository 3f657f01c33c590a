// How HF 0.23 truncates, as a specification: the early exit that stops tokenizing a text
// near max_length, and longest_first on a pair after it. The goldens of
// text_tokenizer_parity_test.cpp check the same against HF itself.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "text/tokenizer.h"
#include "text/truncation.h"

namespace bertcls::text {
namespace {

TEST(EarlyExit, StopsAtTheEndOfTheWordThatReachesMaxLength) {
  // Words of 1, 1, 3 and 1 tokens.
  const std::vector<SplitEnd> splits = {{1, false}, {2, false}, {5, false}, {6, false}};
  EXPECT_EQ(tokens_before_early_exit(splits, 4, false), 5u);  // the 3-token word is kept whole
  EXPECT_EQ(tokens_before_early_exit(splits, 2, false), 2u);
  EXPECT_EQ(tokens_before_early_exit(splits, 4, true), 4u);   // from the end: 1 + 3
  EXPECT_EQ(tokens_before_early_exit(splits, 5, true), 5u);
  EXPECT_EQ(tokens_before_early_exit(splits, 7, true), 6u);   // never reached: all kept
}

TEST(EarlyExit, AddedTokensCountButNeverStopIt) {
  const std::vector<SplitEnd> splits = {{1, true}, {2, true}, {3, true}, {4, false}, {5, false}};
  EXPECT_EQ(tokens_before_early_exit(splits, 2, false), 4u);
  const std::vector<SplitEnd> reversed = {{1, false}, {2, false}, {3, true}, {4, true}, {5, true}};
  EXPECT_EQ(tokens_before_early_exit(reversed, 2, true), 4u);
}

TEST(EarlyExit, KeepsTextsShorterThanMaxLengthWhole) {
  EXPECT_EQ(tokens_before_early_exit({{1, false}, {3, false}}, 5, false), 3u);
  EXPECT_EQ(tokens_before_early_exit({{1, false}, {3, false}}, 5, true), 3u);
  EXPECT_EQ(tokens_before_early_exit({}, 5, false), 0u);
}

// Counts of `a` and `b` tokens left in [CLS] a... [SEP] b... [SEP] at max_length.
std::pair<long, long> kept(size_t max_length, int a_words, int b_words) {
  Tokenizer tok = Tokenizer::from_directory(std::filesystem::path(BERTCLS_SOURCE_DIR) / "data/rubert-tiny2");
  tok.set_truncation(TruncationParams{max_length, TruncationStrategy::kLongestFirst, false});
  auto words = [](const char* w, int n) {
    std::string s;
    for (int i = 0; i < n; ++i) {
      if (i) s += ' ';
      s += w;
    }
    return s;
  };
  const Encoding e = tok.encode_pair(words("a", a_words), words("b", b_words));
  return {std::count(e.tokens.begin(), e.tokens.end(), "a"), std::count(e.tokens.begin(), e.tokens.end(), "b")};
}

TEST(PairTruncation, TwoTextsPastMaxLengthTieSoTheSecondGetsTheOddToken) {
  EXPECT_EQ(kept(16, 20, 19), (std::pair<long, long>{6, 7}));  // 13 tokens of budget
  EXPECT_EQ(kept(16, 19, 20), (std::pair<long, long>{6, 7}));
  EXPECT_EQ(kept(15, 20, 19), (std::pair<long, long>{6, 6}));
}

TEST(PairTruncation, BelowMaxLengthTheLongerTextGetsTheOddToken) {
  EXPECT_EQ(kept(16, 12, 10), (std::pair<long, long>{7, 6}));
  EXPECT_EQ(kept(16, 10, 12), (std::pair<long, long>{6, 7}));
}

TEST(PairTruncation, AShortTextStaysWholeAndTheOtherTakesTheRest) {
  EXPECT_EQ(kept(16, 3, 20), (std::pair<long, long>{3, 10}));
  EXPECT_EQ(kept(15, 20, 3), (std::pair<long, long>{9, 3}));
}

}  // namespace
}  // namespace bertcls::text
