// The "added_tokens" block: tokens found in the text before the model sees it, as
// Hugging Face's AddedVocabulary finds them. Tokens with normalized=false (BERT's special
// tokens: "[CLS]" typed in a text is the [CLS] token) are matched on the raw text;
// normalized=true ones on the normalizer's output. Matching is leftmost-longest and
// non-overlapping, like the crate's Aho-Corasick automaton. A token with lstrip (rstrip)
// also takes the whitespace before (after) it, as RoBERTa's " <mask>" does.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "text/normalizer.h"

namespace bertcls::text {

struct AddedToken {
  std::string content;
  int32_t id = 0;
  bool special = false;
  bool normalized = false;
  // What id_to_token and decode give for it, set by AddedVocabulary::add: the content,
  // normalized when the token is (HF's id-to-token map holds the normalized form, its
  // token-to-id map the original).
  std::string text;
  bool lstrip = false, rstrip = false;
};

class AddedVocabulary {
 public:
  struct Match {
    int32_t begin, end;  // characters of the searched text
    const AddedToken* token;
  };

  // Empty contents are ignored, as HF ignores them. A normalized token is searched for
  // in its normalized form, so the normalizer must be final when tokens are added.
  void add(AddedToken token, const Normalizer& normalizer);

  // Appends the matches of raw-text (normalized=false) or normalized-text tokens found in
  // text[0, n) to `out`.
  void find(const char32_t* text, size_t n, bool normalized, std::vector<Match>& out) const;
  bool has_normalized() const { return has_normalized_; }
  bool empty() const { return tokens_.empty(); }

  const AddedToken* by_content(std::string_view content) const;
  const AddedToken* by_id(int32_t id) const;
  const std::vector<AddedToken>& tokens() const { return tokens_; }

 private:
  std::vector<AddedToken> tokens_;
  std::vector<std::u32string> patterns_;  // per token: what is searched for
  bool has_normalized_ = false;
};

}  // namespace bertcls::text
