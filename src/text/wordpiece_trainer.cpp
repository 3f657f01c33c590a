#include "text/wordpiece_trainer.h"

#include <algorithm>
#include <map>
#include <string_view>
#include <unordered_map>
#include <utility>

#include <bertcls/error.h>
#include "common/utf8.h"

namespace bertcls::text {

namespace {

// A pair of token ids as one key; comparing keys compares (left, right) as HF's tuples.
using PairKey = uint64_t;
PairKey pair_key(int32_t left, int32_t right) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(left)) << 32) | static_cast<uint32_t>(right);
}
int32_t left_of(PairKey p) { return static_cast<int32_t>(p >> 32); }
int32_t right_of(PairKey p) { return static_cast<int32_t>(p & 0xffffffffu); }

// HF's Merge: a heap entry for a pair, with the count it had when pushed and the words
// it merges in.
struct Merge {
  PairKey pair = 0;
  uint64_t count = 0;
  uint64_t seq = 0;             // push order: entries equal in count and pair pop first in, first out
  std::vector<uint32_t> words;  // indices, sorted
};

// Heap order: the higher count, then the smaller pair of ids (HF's Ord for Merge).
bool pops_after(const Merge& x, const Merge& y) {
  if (x.count != y.count) return x.count < y.count;
  if (x.pair != y.pair) return x.pair > y.pair;
  return x.seq > y.seq;
}

class Vocabulary {
 public:
  // The id of `token`, added at the end if new.
  int32_t add(const std::string& token) {
    auto [it, added] = ids_.emplace(token, static_cast<int32_t>(tokens_.size()));
    if (added) tokens_.push_back(token);
    return it->second;
  }
  bool contains(const std::string& token) const { return ids_.count(token) > 0; }
  int32_t id(const std::string& token) const { return ids_.at(token); }
  const std::string& token(int32_t id) const { return tokens_[static_cast<size_t>(id)]; }
  size_t size() const { return tokens_.size(); }
  std::vector<std::string> release() { return std::move(tokens_); }

 private:
  std::vector<std::string> tokens_;
  std::unordered_map<std::string, int32_t> ids_;
};

std::string utf8_of(char32_t c) {
  std::string s;
  append_utf8(c, s);
  return s;
}

// Step 2: the characters kept, in code point order.
std::vector<char32_t> alphabet_of(const std::vector<std::pair<const std::u32string*, uint64_t>>& words,
                                  std::optional<size_t> limit) {
  std::map<char32_t, uint64_t> counts;
  for (const auto& [word, count] : words)
    for (char32_t c : *word) counts[c] += count;
  std::vector<std::pair<char32_t, uint64_t>> kept(counts.begin(), counts.end());
  if (limit && kept.size() > *limit) {
    std::stable_sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    kept.resize(*limit);
    std::sort(kept.begin(), kept.end());
  }
  std::vector<char32_t> out;
  for (const auto& kc : kept) out.push_back(kc.first);
  return out;
}

// HF's Word::merge: replaces every (left, right), left to right without overlap, by
// `merged`, and reports the pairs of neighbours that end (-1) and begin (+1).
void merge_word(std::vector<int32_t>& w, int32_t left, int32_t right, int32_t merged,
                std::vector<std::pair<PairKey, int>>& changes) {
  for (size_t i = 0; i < w.size(); ++i) {
    if (w[i] != left || i + 1 >= w.size() || w[i + 1] != right) continue;
    if (i > 0) {
      changes.push_back({pair_key(w[i - 1], left), -1});
      changes.push_back({pair_key(w[i - 1], merged), 1});
    }
    w[i] = merged;
    w.erase(w.begin() + static_cast<std::ptrdiff_t>(i) + 1);
    if (i + 1 < w.size()) {
      changes.push_back({pair_key(right, w[i + 1]), -1});
      changes.push_back({pair_key(merged, w[i + 1]), 1});
    }
  }
}

}  // namespace

WordPieceVocabulary train_wordpiece(const WordCounts& word_counts, const WordPieceTrainerOptions& options) {
  // Words in a fixed order, so that nothing depends on the hash map's.
  std::vector<std::pair<const std::u32string*, uint64_t>> words;
  words.reserve(word_counts.size());
  for (const auto& [word, count] : word_counts) words.push_back({&word, count});
  std::sort(words.begin(), words.end(), [](const auto& a, const auto& b) { return *a.first < *b.first; });

  Vocabulary vocab;
  for (const std::string& s : options.special_tokens) vocab.add(s);
  WordPieceVocabulary out;
  const std::vector<char32_t> alphabet = alphabet_of(words, options.limit_alphabet);
  for (char32_t c : alphabet) vocab.add(utf8_of(c));
  out.alphabet = alphabet.size();

  // Step 3: the kept characters met after a word's first character.
  std::map<char32_t, bool> continuing;  // value: listed in continuation_order
  for (const auto& [word, count] : words)
    for (size_t i = 1; i < word->size(); ++i)
      if (vocab.contains(utf8_of((*word)[i]))) continuing.emplace((*word)[i], false);
  const size_t before_continuations = vocab.size();
  for (char32_t c : options.continuation_order) {
    auto it = continuing.find(c);
    if (it == continuing.end() || it->second) continue;
    it->second = true;
    vocab.add(options.continuing_prefix + utf8_of(c));
  }
  for (const auto& [c, listed] : continuing)
    if (!listed) vocab.add(options.continuing_prefix + utf8_of(c));
  out.continuations = vocab.size() - before_continuations;
  if (options.vocab_size < vocab.size()) {
    throw Error("vocabulary size " + std::to_string(options.vocab_size) + " is below the minimum " +
                std::to_string(vocab.size()) + ": " + std::to_string(options.special_tokens.size()) +
                " special tokens, an alphabet of " + std::to_string(out.alphabet) + " characters and their " +
                std::to_string(out.continuations) + " \"" + options.continuing_prefix + "\" forms");
  }

  // Words as token ids; a character outside the alphabet is left out, and the character
  // after it still counts as a continuation (HF's tokenize_words).
  std::vector<std::vector<int32_t>> symbols(words.size());
  std::vector<uint64_t> counts(words.size());
  for (size_t w = 0; w < words.size(); ++w) {
    counts[w] = words[w].second;
    const std::u32string& word = *words[w].first;
    for (size_t i = 0; i < word.size(); ++i) {
      std::string s = utf8_of(word[i]);
      if (!vocab.contains(s)) continue;
      symbols[w].push_back(vocab.id(i == 0 ? s : options.continuing_prefix + s));
    }
  }

  // Counts are signed as HF's (i32 there): a merge's changes pass through negative sums.
  std::unordered_map<PairKey, int64_t> pair_counts;
  std::unordered_map<PairKey, std::vector<uint32_t>> where;
  std::vector<Merge> heap;
  uint64_t seq = 0;
  auto push_where = [&] {
    for (auto& [pair, ws] : where) {
      const int64_t count = pair_counts[pair];
      if (count <= 0) continue;
      std::sort(ws.begin(), ws.end());
      ws.erase(std::unique(ws.begin(), ws.end()), ws.end());
      heap.push_back({pair, static_cast<uint64_t>(count), seq++, std::move(ws)});
      std::push_heap(heap.begin(), heap.end(), pops_after);
    }
    where.clear();
  };
  for (size_t w = 0; w < symbols.size(); ++w) {
    for (size_t i = 0; i + 1 < symbols[w].size(); ++i) {
      const PairKey p = pair_key(symbols[w][i], symbols[w][i + 1]);
      pair_counts[p] += static_cast<int64_t>(counts[w]);
      where[p].push_back(static_cast<uint32_t>(w));
    }
  }
  push_where();

  std::vector<std::pair<PairKey, int>> changes;
  while (vocab.size() < options.vocab_size && !heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), pops_after);
    Merge top = std::move(heap.back());
    heap.pop_back();
    const auto current = static_cast<uint64_t>(pair_counts[top.pair]);
    if (top.count != current) {
      top.count = current;
      heap.push_back(std::move(top));
      std::push_heap(heap.begin(), heap.end(), pops_after);
      continue;
    }
    if (top.count < 1 || options.min_frequency > top.count) break;

    const int32_t left = left_of(top.pair), right = right_of(top.pair);
    std::string_view right_part = vocab.token(right);
    if (right_part.substr(0, options.continuing_prefix.size()) == options.continuing_prefix)
      right_part.remove_prefix(options.continuing_prefix.size());
    const int32_t merged = vocab.add(vocab.token(left) + std::string(right_part));
    ++out.merges;

    for (uint32_t w : top.words) {
      changes.clear();
      merge_word(symbols[w], left, right, merged, changes);
      for (const auto& [pair, change] : changes) {
        pair_counts[pair] += change * static_cast<int64_t>(counts[w]);
        if (change > 0) where[pair].push_back(w);
      }
    }
    push_where();
  }
  out.tokens = vocab.release();
  return out;
}

}  // namespace bertcls::text
