// The masked-LM collator (train/mlm_masking.h) and run_mlm.py's grouping (token_blocks.h):
// the proportions DataCollatorForLanguageModeling draws, special tokens never masked,
// masks a function of (seed, step, sequence), whole words masked together.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <vector>

#include <bertcls/error.h>
#include "model/batch.h"
#include "train/mlm_masking.h"
#include "train/token_blocks.h"

namespace bertcls::train {
namespace {

constexpr std::int32_t kMask = 4, kVocab = 1000;
constexpr int kIgnore = model::Batch::kIgnoreIndex;

struct Masked {
  std::vector<std::int32_t> ids, labels;
};

// ids 100, 101, ... with [CLS] (kind special) first and [SEP] last.
std::vector<std::int32_t> sequence_ids(std::size_t n) {
  std::vector<std::int32_t> ids(n);
  std::iota(ids.begin(), ids.end(), 100);
  return ids;
}
std::vector<TokenKind> plain_kinds(std::size_t n) {
  std::vector<TokenKind> kinds(n, TokenKind::word_start);
  kinds.front() = kinds.back() = TokenKind::special;
  return kinds;
}

Masked mask(std::vector<std::int32_t> ids, const std::vector<TokenKind>& kinds, const tensor::CounterRng& rng,
            bool whole_word = false) {
  Masked m{std::move(ids), {}};
  m.labels.resize(m.ids.size());
  mask_tokens(m.ids, kinds, m.labels, {.whole_word = whole_word, .mask_id = kMask, .vocab_size = kVocab}, rng);
  return m;
}

TEST(MlmMasking, DrawsFifteenPercentThenEightyTenTen) {
  const std::size_t n = 200000;
  const std::vector<std::int32_t> original = sequence_ids(n);
  const Masked m = mask(original, plain_kinds(n), masking_rng(1, 0, 0));
  std::size_t chosen = 0, masked = 0, random = 0, kept = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (m.labels[i] == kIgnore) {
      EXPECT_EQ(m.ids[i], original[i]);
      continue;
    }
    ++chosen;
    EXPECT_EQ(m.labels[i], original[i]);
    if (m.ids[i] == kMask) {
      ++masked;
    } else if (m.ids[i] == original[i]) {
      ++kept;
    } else {
      ++random;
      EXPECT_LT(m.ids[i], kVocab);
    }
  }
  // Binomial standard deviations: 160 chosen of 200k, ~50 for the shares of ~30k.
  EXPECT_NEAR(static_cast<double>(chosen) / n, 0.15, 0.004);
  EXPECT_NEAR(static_cast<double>(masked) / chosen, 0.8, 0.01);
  EXPECT_NEAR(static_cast<double>(random) / chosen, 0.1, 0.01);
  // A random draw lands on the original id 1 time in kVocab: kept is ~10% too.
  EXPECT_NEAR(static_cast<double>(kept) / chosen, 0.1, 0.01);
}

TEST(MlmMasking, NeverMasksSpecialTokens) {
  const std::size_t n = 5000;
  std::vector<TokenKind> kinds(n, TokenKind::word_start);
  for (std::size_t i = 0; i < n; i += 3) kinds[i] = TokenKind::special;
  for (bool whole_word : {false, true}) {
    const Masked m = mask(sequence_ids(n), kinds, masking_rng(2, 0, 0), whole_word);
    std::size_t chosen = 0;
    for (std::size_t i = 0; i < n; ++i) {
      chosen += m.labels[i] != kIgnore;
      if (kinds[i] == TokenKind::special) {
        EXPECT_EQ(m.labels[i], kIgnore) << i;
        EXPECT_EQ(m.ids[i], sequence_ids(n)[i]) << i;
      }
    }
    EXPECT_GT(chosen, 0u);
  }
}

TEST(MlmMasking, MasksAreAFunctionOfSeedStepAndSequence) {
  const std::size_t n = 400;
  const auto kinds = plain_kinds(n);
  const Masked a = mask(sequence_ids(n), kinds, masking_rng(7, 3, 11));
  EXPECT_EQ(mask(sequence_ids(n), kinds, masking_rng(7, 3, 11)).ids, a.ids);
  EXPECT_EQ(mask(sequence_ids(n), kinds, masking_rng(7, 3, 11)).labels, a.labels);
  EXPECT_NE(mask(sequence_ids(n), kinds, masking_rng(8, 3, 11)).labels, a.labels);
  EXPECT_NE(mask(sequence_ids(n), kinds, masking_rng(7, 4, 11)).labels, a.labels);
  EXPECT_NE(mask(sequence_ids(n), kinds, masking_rng(7, 3, 12)).labels, a.labels);
}

TEST(MlmMasking, WholeWordsAreMaskedTogether) {
  // Words of one to four pieces: a word start, then "##" continuations.
  std::vector<TokenKind> kinds{TokenKind::special};
  for (int w = 0; w < 1000; ++w) {  // 2,500 tokens: under HF's cap of 512 predictions
    kinds.push_back(TokenKind::word_start);
    for (int c = 0; c < w % 4; ++c) kinds.push_back(TokenKind::continuation);
  }
  kinds.push_back(TokenKind::special);
  const std::size_t n = kinds.size();
  for (std::int64_t sequence = 0; sequence < 5; ++sequence) {
    const Masked m = mask(sequence_ids(n), kinds, masking_rng(3, 0, sequence), /*whole_word=*/true);
    std::size_t chosen = 0;
    for (std::size_t i = 0; i < n; ++i) {
      chosen += m.labels[i] != kIgnore;
      // A continuation is chosen exactly when the piece before it is.
      if (kinds[i] == TokenKind::continuation) {
        EXPECT_EQ(m.labels[i] != kIgnore, m.labels[i - 1] != kIgnore) << i;
      }
    }
    // round(0.15 * n) tokens, as DataCollatorForWholeWordMask; short words fill the gap.
    EXPECT_EQ(chosen, static_cast<std::size_t>(std::nearbyint(0.15 * n)));
  }
}

TEST(MlmMasking, RejectsAProbabilityOutsideZeroToOne) {
  std::vector<std::int32_t> ids{1, 2}, labels(2);
  const std::vector<TokenKind> kinds(2, TokenKind::word_start);
  EXPECT_THROW(mask_tokens(ids, kinds, labels, {.probability = 1.5, .mask_id = kMask, .vocab_size = kVocab},
                           masking_rng(0, 0, 0)),
               Error);
}

text::Encoding encoding(const std::vector<std::string>& tokens) {
  text::Encoding e;
  for (std::size_t i = 0; i < tokens.size(); ++i)
    e.push(static_cast<std::int32_t>(i + 10), tokens[i], {0, 0}, 0, tokens[i] == "[CLS]" || tokens[i] == "[SEP]");
  return e;
}

TEST(TokenBlocks, GroupsTextsAsRunMlmDoes) {
  TokenBlocks blocks(4);
  blocks.append(encoding({"[CLS]", "при", "##вет", "[SEP]"}));
  blocks.append(encoding({"[CLS]", "мир", "[SEP]"}));
  blocks.append(encoding({"[CLS]", "да", "[SEP]"}));
  blocks.finish();
  // 10 tokens: two blocks of 4, the remainder of 2 dropped.
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks.tokens(), 8u);
  EXPECT_EQ(std::vector<std::int32_t>(blocks.ids(1).begin(), blocks.ids(1).end()), (std::vector<std::int32_t>{10, 11, 12, 10}));
  const auto kinds = blocks.kinds(0);
  EXPECT_EQ(kinds[0], TokenKind::special);
  EXPECT_EQ(kinds[1], TokenKind::word_start);
  EXPECT_EQ(kinds[2], TokenKind::continuation);

  TokenBlocks short_corpus(64);
  short_corpus.append(encoding({"[CLS]", "мир", "[SEP]"}));
  short_corpus.finish();
  ASSERT_EQ(short_corpus.size(), 1u);  // shorter than a block: kept whole
  EXPECT_EQ(short_corpus.lengths(), std::vector<int>{3});
}

}  // namespace
}  // namespace bertcls::train
