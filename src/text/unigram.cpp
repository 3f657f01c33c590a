#include "text/unigram.h"

#include <algorithm>
#include <cstdio>
#include <limits>

#include <bertcls/error.h>
#include "common/utf8.h"

namespace bertcls::text {
namespace {

constexpr double kUnkPenalty = 10.0;  // SentencePiece's and HF's kUnkPenalty

uint64_t edge_key(int32_t node, char32_t c) { return uint64_t(uint32_t(node)) << 21 | c; }

}  // namespace

Unigram::Unigram(std::vector<std::pair<std::string, double>> vocab, std::optional<int32_t> unk_id,
                 bool byte_fallback)
    : unk_id_(unk_id), byte_fallback_(byte_fallback) {
  if (unk_id && (*unk_id < 0 || static_cast<size_t>(*unk_id) >= vocab.size())) {
    throw Error("model.unk_id: " + std::to_string(*unk_id) + " is not an id of the " +
                std::to_string(vocab.size()) + "-piece vocabulary");
  }
  double min_score = std::numeric_limits<double>::infinity();
  std::vector<char32_t> chars;
  for (size_t id = 0; id < vocab.size(); ++id) {
    auto& [piece, score] = vocab[id];
    ids_.insert(piece, static_cast<int32_t>(id));
    min_score = std::min(min_score, score);
    chars.clear();
    decode_utf8(piece, chars, InvalidUtf8Policy::kError);
    int32_t node = 0;
    for (char32_t c : chars) {
      auto [it, added] = children_.try_emplace(edge_key(node, c), static_cast<int32_t>(leaf_.size()));
      if (added) leaf_.push_back(-1);
      node = it->second;
    }
    // The empty piece is a leaf of the root, which no search reports, as in HF's trie.
    leaf_[node] = static_cast<int32_t>(id);
    tokens_.push_back(std::move(piece));
    scores_.push_back(score);
  }
  unk_score_ = min_score - kUnkPenalty;
}

bool Unigram::push_bytes(const std::string& piece, std::pair<int32_t, int32_t> span, int32_t type_id,
                         Encoding& out) const {
  thread_local std::vector<int32_t> ids;
  ids.clear();
  char name[8];
  for (unsigned char b : piece) {
    std::snprintf(name, sizeof name, "<0x%02X>", b);
    const auto id = ids_.find(name);
    if (!id) return false;
    ids.push_back(*id);
  }
  for (int32_t id : ids) out.push(id, tokens_[id], span, type_id, false);
  return true;
}

const std::string* Unigram::id_to_token(int32_t id) const {
  if (id < 0 || static_cast<size_t>(id) >= tokens_.size()) return nullptr;
  return &tokens_[id];
}

int32_t Unigram::child(int32_t node, char32_t c) const {
  auto it = children_.find(edge_key(node, c));
  return it == children_.end() ? -1 : it->second;
}

void Unigram::tokenize(const NormalizedText& text, CharSpan word, int32_t type_id, Encoding& out) const {
  struct Best {
    int32_t id = -1, start = -1;  // start -1: nothing ends here yet
    double score = 0;
  };
  struct Piece {
    int32_t id, begin, end;  // characters of the word
  };
  thread_local std::vector<Best> best;
  thread_local std::vector<Piece> path;
  thread_local std::string piece;
  const int32_t n = word.end - word.begin;
  if (n <= 0) return;
  const char32_t* chars = text.chars.data() + word.begin;
  best.assign(static_cast<size_t>(n) + 1, Best{});
  auto offer = [&](int32_t end, int32_t start, int32_t id, double score) {
    Best& b = best[end];
    if (b.start < 0 || score > b.score) b = {id, start, score};
  };
  for (int32_t start = 0; start < n; ++start) {
    const double so_far = best[start].score;
    bool has_single = false;
    int32_t node = 0;
    for (int32_t end = start; end < n && (node = child(node, chars[end])) >= 0; ++end) {
      const int32_t id = leaf_[node];
      if (id < 0) continue;
      offer(end + 1, start, id, scores_[id] + so_far);
      has_single |= end == start;
    }
    if (!has_single) {
      if (!unk_id_) throw Error("Unigram: a character needs the unknown token but model.unk_id is not set");
      offer(start + 1, start, *unk_id_, unk_score_ + so_far);
    }
  }
  // Back from the end, unknown pieces fused.
  path.clear();
  for (int32_t end = n; end > 0;) {
    const Best& b = best[end];
    if (b.id == unk_id() && !path.empty() && path.back().id == b.id) {
      path.back().begin = b.start;
    } else {
      path.push_back({b.id, b.start, end});
    }
    end = b.start;
  }
  for (auto it = path.rbegin(); it != path.rend(); ++it) {
    const int32_t begin = word.begin + it->begin, end = word.begin + it->end;
    piece.clear();
    for (int32_t i = begin; i < end; ++i) append_utf8(text.chars[i], piece);
    // HF looks each token's text up again: fused unknown characters that spell a piece
    // get that piece's id.
    const std::pair<int32_t, int32_t> span{text.origin[begin], text.origin[end - 1] + 1};
    const std::optional<int32_t> known = ids_.find(piece);
    if (!known && byte_fallback_ && push_bytes(piece, span, type_id, out)) continue;
    out.push(known.value_or(it->id), piece, span, type_id, false);
  }
}

}  // namespace bertcls::text
