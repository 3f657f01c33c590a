// The WordPiece trainer (HF's WordPieceTrainer) on corpora small enough to follow by
// hand, and against HF's own run on the RuTweetCorp sample.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <bertcls/error.h>
#include "common/utf8.h"
#include "io/dataset.h"
#include "text/word_counter.h"
#include "text/wordpiece_trainer.h"

namespace bertcls::text {
namespace {

namespace fs = std::filesystem;

using Tokens = std::vector<std::string>;

// Words given as UTF-8 with their counts.
WordCounts counts(const std::vector<std::pair<std::string, uint64_t>>& words) {
  WordCounts out;
  for (const auto& [w, n] : words) {
    std::vector<char32_t> chars;
    decode_utf8(w, chars, InvalidUtf8Policy::kError);
    out[std::u32string(chars.begin(), chars.end())] = n;
  }
  return out;
}

WordPieceTrainerOptions sized(size_t vocab_size) {
  WordPieceTrainerOptions o;
  o.vocab_size = vocab_size;
  return o;
}

TEST(WordPieceTrainer, MergesTheMostFrequentPairFirst) {
  // (a, ##b) is seen 3 times, (a, ##c) once.
  const auto v = train_wordpiece(counts({{"ab", 3}, {"ac", 1}}), sized(7));
  EXPECT_EQ(v.tokens, (Tokens{"a", "b", "c", "##b", "##c", "ab", "ac"}));
  EXPECT_EQ(v.alphabet, 3u);
  EXPECT_EQ(v.continuations, 2u);
  EXPECT_EQ(v.merges, 2u);
  // One token short of the second merge: only the first is made.
  EXPECT_EQ(train_wordpiece(counts({{"ab", 3}, {"ac", 1}}), sized(6)).tokens,
            (Tokens{"a", "b", "c", "##b", "##c", "ab"}));
}

// Ids: a0 b1 c2 d3 e4 ##b5 ##d6 ##e7. Four pairs are seen twice; (a, ##b) has the
// smallest ids and goes first, making ab (8). Then (c, ##d) = (2, 6) beats (##d, ##e) =
// (6, 7) and ab's new (8, 7); (##b, ##e) is gone. Then ab##e (8, 7) before cd##e (9, 7).
TEST(WordPieceTrainer, CountTiesGoToTheSmallerPairOfIds) {
  const auto v = train_wordpiece(counts({{"abe", 2}, {"cde", 2}}), sized(100));
  EXPECT_EQ(v.tokens, (Tokens{"a", "b", "c", "d", "e", "##b", "##d", "##e", "ab", "cd", "abe", "cde"}));
}

// HF gives "##" characters their ids in its hash map's order, so on this tie HF makes
// xa or xb first depending on the run; here ##a's id is the smaller (code point order),
// unless continuation_order replays a run where ##b came first.
TEST(WordPieceTrainer, ContinuationCharactersTakeIdsInCodePointOrderOrTheOrderGiven) {
  const WordCounts words = counts({{"xb", 1}, {"xa", 1}});
  EXPECT_EQ(train_wordpiece(words, sized(6)).tokens, (Tokens{"a", "b", "x", "##a", "##b", "xa"}));
  WordPieceTrainerOptions o = sized(6);
  o.continuation_order = {U'b'};
  EXPECT_EQ(train_wordpiece(words, o).tokens, (Tokens{"a", "b", "x", "##b", "##a", "xb"}));
}

TEST(WordPieceTrainer, SpecialTokensComeFirstAndCountTowardsTheSize) {
  WordPieceTrainerOptions o = sized(11);
  o.special_tokens = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
  const auto v = train_wordpiece(counts({{"ab", 3}, {"ac", 1}}), o);
  EXPECT_EQ(v.tokens, (Tokens{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "b", "c", "##b", "##c", "ab"}));
  // A special token that is also a character keeps its place among the special tokens.
  o.special_tokens = {"[UNK]", "b"};
  EXPECT_EQ(train_wordpiece(counts({{"ab", 3}, {"ac", 1}}), o).tokens,
            (Tokens{"[UNK]", "b", "a", "c", "##b", "##c", "ab", "ac"}));
}

TEST(WordPieceTrainer, MinFrequencyStopsMergingBeforeTheSize) {
  WordPieceTrainerOptions o = sized(100);
  o.min_frequency = 2;
  EXPECT_EQ(train_wordpiece(counts({{"ab", 3}, {"cd", 1}}), o).tokens,
            (Tokens{"a", "b", "c", "d", "##b", "##d", "ab"}));
}

// Counts a 3, b 4, c 1, z 1: limit 3 keeps a, b and c (c beats z on the tie by code
// point). zb loses its z, and its b still counts as a continuation.
TEST(WordPieceTrainer, LimitAlphabetKeepsTheMostFrequentCharacters) {
  WordPieceTrainerOptions o = sized(100);
  o.limit_alphabet = 3;
  const auto v = train_wordpiece(counts({{"ab", 3}, {"c", 1}, {"zb", 1}}), o);
  EXPECT_EQ(v.tokens, (Tokens{"a", "b", "c", "##b", "ab"}));
  EXPECT_EQ(v.alphabet, 3u);
}

TEST(WordPieceTrainer, MergesRunOutWhenEveryWordIsWhole) {
  const auto v = train_wordpiece(counts({{"abc", 1}}), sized(100));
  EXPECT_EQ(v.tokens, (Tokens{"a", "b", "c", "##b", "##c", "ab", "abc"}));
}

TEST(WordPieceTrainer, SizeBelowTheSpecialTokensAndAlphabetNamesTheMinimum) {
  WordPieceTrainerOptions o = sized(5);
  o.special_tokens = {"[UNK]", "[CLS]", "[SEP]"};
  try {
    train_wordpiece(counts({{"ab", 1}}), o);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "vocabulary size 5 is below the minimum 6: 3 special tokens, an alphabet of 2 characters and "
                 "their 1 \"##\" forms");
  }
}

TEST(WordCounter, CountsWordsAfterTheNormalizerAndPreTokenizer) {
  WordCounter lower(BertNormalizer{true, true, true, true});
  lower.add("Привет, МИР! привет Ёж");
  EXPECT_EQ(lower.counts(), counts({{"привет", 2}, {",", 1}, {"мир", 1}, {"!", 1}, {"еж", 1}}));
  WordCounter cased(BertNormalizer{true, true, false, false});
  cased.add("Ёж 中文");
  EXPECT_EQ(cased.counts(), counts({{"Ёж", 1}, {"中", 1}, {"文", 1}}));
  EXPECT_THROW(cased.add("a\xff"), Error);
}

// HF's own run (tokenizers 0.23.2's Tokenizer.train, WordPieceTrainer defaults: 30,000
// tokens, no special tokens, on a BertNormalizer that lowercases) on the sample's 2,800
// texts, written by tools/tokenizer-goldens/wordpiece-trainer.js. Given that run's order
// of "##" characters (its ids show it), the trainer makes the same vocabulary, id for id.
TEST(WordPieceTrainer, ReplaysHuggingFacesRunOnTheRuTweetCorpSampleIdForId) {
  std::ifstream f(fs::path(BERTCLS_FIXTURES) / "tokenizers/hf-wordpiece-trainer/rutweetcorp-sample.vocab.txt",
                  std::ios::binary);
  ASSERT_TRUE(f.good());
  Tokens hf;
  for (std::string line; std::getline(f, line);) hf.push_back(line);

  WordPieceTrainerOptions o;  // HF's defaults
  for (const std::string& t : hf) {
    std::vector<char32_t> chars;
    if (t.rfind("##", 0) == 0) decode_utf8(std::string_view(t).substr(2), chars, InvalidUtf8Policy::kError);
    if (chars.size() == 1) o.continuation_order.push_back(chars[0]);
  }
  WordCounter counter(BertNormalizer{true, true, true, true});
  io::DatasetOptions d;
  d.label_column.clear();
  for (const char* file : {"train.csv", "valid.csv", "test.csv"}) {
    for (const io::Example& e :
         io::read_dataset(std::string(BERTCLS_SOURCE_DIR) + "/data/rutweetcorp-sample/" + file, d).examples)
      counter.add(e.text);
  }
  const Tokens ours = train_wordpiece(counter.counts(), o).tokens;
  ASSERT_EQ(ours.size(), hf.size());
  for (size_t i = 0; i < hf.size(); ++i) ASSERT_EQ(ours[i], hf[i]) << "id " << i;
}

}  // namespace
}  // namespace bertcls::text
