#include "text/bpe.h"

#include <queue>

#include <bertcls/error.h>
#include "common/utf8.h"

namespace bertcls::text {

Bpe::Bpe(std::vector<std::string> vocab, const std::vector<std::pair<std::string, std::string>>& merges,
         BpeOptions options)
    : tokens_(std::move(vocab)), options_(std::move(options)) {
  for (size_t id = 0; id < tokens_.size(); ++id) {
    if (!tokens_[id].empty()) ids_.insert(tokens_[id], static_cast<int32_t>(id));
  }
  auto id_of = [&](const std::string& token, size_t rank) {
    auto id = ids_.find(token);
    if (!id) throw Error("model.merges[" + std::to_string(rank) + "]: \"" + token + "\" is not in the vocabulary");
    return *id;
  };
  const std::string& prefix = options_.continuing_subword_prefix;
  for (size_t rank = 0; rank < merges.size(); ++rank) {
    const auto& [a, b] = merges[rank];
    if (b.compare(0, prefix.size(), prefix) != 0) {
      throw Error("model.merges[" + std::to_string(rank) + "]: \"" + b + "\" does not start with continuing_subword_prefix");
    }
    // Looked up in HF's order (a, b, then the merged token), so an error names what HF's
    // would. The merged token drops b's continuation prefix; a later duplicate pair wins,
    // as in HF's map.
    const int32_t left = id_of(a, rank), right = id_of(b, rank);
    const int32_t merged = id_of(a + b.substr(prefix.size()), rank);
    merges_[pair_key(left, right)] = {static_cast<uint32_t>(rank), merged};
  }
}

const std::string* Bpe::id_to_token(int32_t id) const {
  if (id < 0 || static_cast<size_t>(id) >= tokens_.size() || tokens_[id].empty()) return nullptr;
  return &tokens_[id];
}

int32_t Bpe::unk_id() const {
  return options_.unk_token ? ids_.find(*options_.unk_token).value_or(-1) : -1;
}

const Bpe::Merge* Bpe::merge_of(int32_t a, int32_t b) const {
  auto it = merges_.find(pair_key(a, b));
  return it == merges_.end() ? nullptr : &it->second;
}

void Bpe::merge_all(std::vector<Symbol>& symbols) const {
  struct Candidate {
    uint32_t rank;
    int32_t pos, new_id;
    bool operator<(const Candidate& o) const {  // the top is the lowest rank, then the leftmost
      return rank != o.rank ? rank > o.rank : pos > o.pos;
    }
  };
  std::priority_queue<Candidate> queue;
  for (size_t i = 0; i + 1 < symbols.size(); ++i) {
    if (const Merge* m = merge_of(symbols[i].id, symbols[i + 1].id)) {
      queue.push({m->rank, static_cast<int32_t>(i), m->new_id});
    }
  }
  while (!queue.empty()) {
    const Candidate top = queue.top();
    queue.pop();
    Symbol& left = symbols[top.pos];
    if (left.len == 0 || left.next == -1) continue;
    const Symbol right = symbols[left.next];
    // A stale candidate: its pair has merged differently since it was queued.
    const Merge* m = merge_of(left.id, right.id);
    if (!m || m->new_id != top.new_id) continue;
    symbols[left.next].len = 0;
    left.id = top.new_id;
    left.len += right.len;
    left.next = right.next;
    if (right.next != -1) symbols[right.next].prev = top.pos;
    if (left.prev != -1) {
      if (const Merge* p = merge_of(symbols[left.prev].id, left.id)) queue.push({p->rank, left.prev, p->new_id});
    }
    if (left.next != -1) {
      if (const Merge* n = merge_of(left.id, symbols[left.next].id)) queue.push({n->rank, top.pos, n->new_id});
    }
  }
}

void Bpe::tokenize(const NormalizedText& text, CharSpan word, int32_t type_id, Encoding& out) const {
  thread_local std::string piece;
  thread_local std::vector<Symbol> symbols;
  if (options_.ignore_merges) {
    piece.clear();
    for (int32_t i = word.begin; i < word.end; ++i) append_utf8(text.chars[i], piece);
    if (auto id = ids_.find(piece)) {
      out.push(*id, tokens_[*id], {text.origin[word.begin], text.origin[word.end - 1] + 1}, type_id, false);
      return;
    }
  }
  symbols.clear();
  std::optional<Symbol> unk;  // the unk symbol waiting for the next known character
  auto add = [&](Symbol s) {
    s.prev = symbols.empty() ? -1 : static_cast<int32_t>(symbols.size() - 1);
    s.next = -1;
    if (!symbols.empty()) symbols.back().next = static_cast<int32_t>(symbols.size());
    symbols.push_back(s);
  };
  for (int32_t i = word.begin; i < word.end; ++i) {
    piece.assign(i == word.begin ? "" : options_.continuing_subword_prefix);
    append_utf8(text.chars[i], piece);
    if (i + 1 == word.end) piece += options_.end_of_word_suffix;
    if (auto id = ids_.find(piece)) {
      if (unk) add(*std::exchange(unk, std::nullopt));
      add({*id, 0, 0, 1});
    } else if (options_.unk_token) {
      if (unk && options_.fuse_unk) {
        ++unk->len;
        continue;
      }
      if (unk) add(*unk);
      const int32_t unk_id = this->unk_id();
      if (unk_id < 0) throw Error("BPE: unk_token \"" + *options_.unk_token + "\" is not in the vocabulary");
      unk = Symbol{unk_id, 0, 0, 1};
    }
  }
  if (unk) add(*unk);
  merge_all(symbols);
  // Offsets count the characters of the symbols kept, as HF counts their bytes, so a
  // dropped character (no unk_token) shifts the offsets after it.
  int32_t at = word.begin;
  for (const Symbol& s : symbols) {
    if (s.len == 0) continue;
    out.push(s.id, tokens_[s.id], {text.origin[at], text.origin[at + s.len - 1] + 1}, type_id, false);
    at += s.len;
  }
}

}  // namespace bertcls::text
