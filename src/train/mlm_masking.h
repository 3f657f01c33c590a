// Masked-LM inputs as transformers' DataCollatorForLanguageModeling makes them
// (mlm_probability 0.15): each token but the special ones is chosen with that probability;
// a chosen token's label is its id (every other label is -100) and its input becomes
// [MASK] 80% of the time, a random token id 10% (from the whole vocabulary, as HF's
// randint(len(tokenizer))), and stays as it is 10%. With whole_word, as
// DataCollatorForWholeWordMask: words (a piece and the "##" pieces after it) are taken in
// a random order until round(0.15 * length) tokens are chosen, skipping a word that would
// overshoot, and the 80/10/10 split then applies to each chosen token.
//
// Draws come from a counter-based generator keyed by (seed, step, sequence), so a step's
// masks are a function of those alone: a resumed run masks as the uninterrupted one did,
// whatever the thread count.
#pragma once

#include <cstdint>
#include <span>

#include "tensor/rng.h"

namespace bertcls::train {

// What masking needs to know of a token, from the tokenizer's special_tokens_mask and
// WordPiece's "##" continuation prefix.
enum class TokenKind : std::uint8_t { word_start, continuation, special };

struct MaskingOptions {
  double probability = 0.15;  // mlm_probability
  bool whole_word = false;
  std::int32_t mask_id = 0;      // the [MASK] token
  std::int32_t vocab_size = 0;   // random replacements are drawn from [0, vocab_size)
};

// The generator of one sequence's masks at one step.
tensor::CounterRng masking_rng(std::uint64_t seed, std::int64_t step, std::int64_t sequence);

// Masks `ids` in place and writes `labels` (same length as ids and kinds). Throws Error
// for a probability outside [0, 1] or an empty vocabulary.
void mask_tokens(std::span<std::int32_t> ids, std::span<const TokenKind> kinds, std::span<std::int32_t> labels,
                 const MaskingOptions& options, const tensor::CounterRng& rng);

}  // namespace bertcls::train
