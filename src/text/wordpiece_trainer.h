// Trains a WordPiece vocabulary as Hugging Face's WordPieceTrainer (tokenizers 0.23)
// does: a BpeTrainer with continuing_subword_prefix "##" whose vocabulary is kept and
// whose merges are dropped. In id order the vocabulary is
//   1. the special tokens, in the order given;
//   2. the alphabet: every character of the words, or with limit_alphabet the most
//      frequent ones, in code point order;
//   3. "##c" for every kept character c seen after a word's first character;
//   4. merged tokens, the pair of adjacent tokens with the highest count (over the words,
//      each weighted by its count) first, until vocab_size tokens or no pair reaches
//      min_frequency. A merged token is the left part and the right part without its
//      "##" ("##a" + "##b" = "##ab"); a merge that makes a token already there adds none.
//
// Ties. HF orders pairs of equal count by their token ids, smaller first, and so does
// this trainer. Steps 1, 2 and 4 give HF's ids; the ids of step 3 come from the order in
// which HF's hash map of words meets the characters, which changes from run to run, so
// HF itself is not deterministic on ties between "##" tokens. Here they are in code
// point order (or continuation_order's), which makes the whole run deterministic:
// among pairs of equal count, the one whose left token was made first wins, then the one
// whose right token was. limit_alphabet keeps the most frequent characters, the smaller
// code point on a tie (HF: an unstable sort of a hash map's entries).
//
// The merge loop is HF's own, quirks included, so that a run with HF's "##" order gives
// HF's vocabulary id for id: a heap of (pair, count, words) entries, a popped entry whose
// count went stale is pushed back with the new count, and a merge touches only the words
// its own entry lists (an entry pushed later for the same pair merges the others).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "text/word_counter.h"

namespace bertcls::text {

struct WordPieceTrainerOptions {
  size_t vocab_size = 30000;
  uint64_t min_frequency = 0;             // a pair counted fewer times is never merged
  std::optional<size_t> limit_alphabet;   // keep at most this many characters
  std::vector<std::string> special_tokens;
  std::string continuing_prefix = "##";
  // The "##" characters take their ids in this order, the others after them in code
  // point order: replays a run of HF's, whose order its vocabulary's ids show.
  std::vector<char32_t> continuation_order;
};

struct WordPieceVocabulary {
  std::vector<std::string> tokens;  // token of id i
  size_t alphabet = 0;              // characters kept (step 2)
  size_t continuations = 0;         // "##" characters (step 3)
  size_t merges = 0;                // merges done, those making a token already there included
};

// Throws Error when vocab_size is below the tokens of steps 1 to 3 (naming the minimum).
WordPieceVocabulary train_wordpiece(const WordCounts& words, const WordPieceTrainerOptions& options);

}  // namespace bertcls::text
