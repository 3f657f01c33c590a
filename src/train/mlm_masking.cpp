#include "train/mlm_masking.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <bertcls/error.h>
#include "model/batch.h"

namespace bertcls::train {
namespace {

// Token i's draws are indices 4i .. 4i+3 of the generator; the whole-word shuffle's are
// above every token's.
enum Draw : std::uint64_t { kChoose, kReplace, kRandom, kRandomId };
constexpr std::uint64_t kShuffleBase = std::uint64_t{1} << 40;

std::uint64_t draw_index(std::size_t token, Draw draw) { return 4 * static_cast<std::uint64_t>(token) + draw; }

std::uint64_t below(const tensor::CounterRng& rng, std::uint64_t index, std::uint64_t n) {
  // 64 random bits mod n: the bias is below n / 2^64, far under anything measurable.
  return tensor::mix64(rng.key ^ tensor::mix64(index)) % n;
}

// DataCollatorForWholeWordMask._whole_word_mask: which tokens a word-level draw chooses.
std::vector<char> whole_word_choice(std::span<const TokenKind> kinds, double probability,
                                    const tensor::CounterRng& rng) {
  std::vector<std::vector<std::size_t>> words;
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    if (kinds[i] == TokenKind::special) continue;
    if (kinds[i] == TokenKind::continuation && !words.empty()) words.back().push_back(i);
    else words.push_back({i});
  }
  for (std::size_t i = words.size(); i > 1; --i) std::swap(words[i - 1], words[below(rng, kShuffleBase + i, i)]);
  // max(1, int(round(len(tokens) * p))), Python's round-half-to-even, capped at HF's 512
  // max_predictions; the length counts the special tokens as HF's does.
  const auto wanted = std::min<std::size_t>(
      512, std::max<std::size_t>(1, static_cast<std::size_t>(std::nearbyint(kinds.size() * probability))));
  std::vector<char> chosen(kinds.size(), 0);
  std::size_t count = 0;
  for (const std::vector<std::size_t>& word : words) {
    if (count >= wanted) break;
    if (count + word.size() > wanted) continue;
    for (std::size_t i : word) chosen[i] = 1;
    count += word.size();
  }
  return chosen;
}

}  // namespace

tensor::CounterRng masking_rng(std::uint64_t seed, std::int64_t step, std::int64_t sequence) {
  return tensor::CounterRng(seed, tensor::mix64(static_cast<std::uint64_t>(step)) ^ static_cast<std::uint64_t>(sequence));
}

void mask_tokens(std::span<std::int32_t> ids, std::span<const TokenKind> kinds, std::span<std::int32_t> labels,
                 const MaskingOptions& options, const tensor::CounterRng& rng) {
  if (!(options.probability >= 0.0 && options.probability <= 1.0))
    throw Error("mlm probability must be in [0, 1], got " + std::to_string(options.probability));
  if (options.vocab_size < 1) throw Error("masking: the vocabulary is empty");
  if (kinds.size() != ids.size() || labels.size() != ids.size())
    throw Error("masking: ids, token kinds and labels differ in length");
  const std::vector<char> words =
      options.whole_word ? whole_word_choice(kinds, options.probability, rng) : std::vector<char>{};
  const auto probability = static_cast<float>(options.probability);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const bool chosen = kinds[i] != TokenKind::special &&
                        (options.whole_word ? words[i] != 0 : rng.uniform(draw_index(i, kChoose)) < probability);
    labels[i] = chosen ? ids[i] : model::Batch::kIgnoreIndex;
    if (!chosen) continue;
    if (rng.uniform(draw_index(i, kReplace)) < 0.8f) {
      ids[i] = options.mask_id;
    } else if (rng.uniform(draw_index(i, kRandom)) < 0.5f) {
      ids[i] = static_cast<std::int32_t>(below(rng, draw_index(i, kRandomId), static_cast<std::uint64_t>(options.vocab_size)));
    }
  }
}

}  // namespace bertcls::train
