#include "text/vocab_map.h"

#include <cstring>

namespace bertcls::text {

uint64_t VocabMap::hash(std::string_view s) {
  // FNV-1a over 8-byte words, then a final avalanche: tokens are short, so this is a
  // few multiplies per probe.
  uint64_t h = 0xcbf29ce484222325ULL ^ s.size();
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = (h ^ w) * 0x100000001b3ULL;
  }
  uint64_t tail = 0;
  if (i < s.size()) std::memcpy(&tail, s.data() + i, s.size() - i);
  h = (h ^ tail) * 0x100000001b3ULL;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

void VocabMap::insert(std::string_view token, int32_t id) {
  if ((count_ + 1) * 2 > slots_.size()) grow();
  const uint64_t h = hash(token);
  const size_t mask = slots_.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    Slot& s = slots_[i];
    if (s.id < 0) {
      s = {h, static_cast<uint32_t>(arena_.size()), static_cast<uint32_t>(token.size()), id};
      arena_.append(token);
      ++count_;
      return;
    }
    if (s.hash == h && std::string_view(arena_).substr(s.offset, s.length) == token) {
      s.id = id;
      return;
    }
  }
}

std::optional<int32_t> VocabMap::find(std::string_view token) const {
  const uint64_t h = hash(token);
  const size_t mask = slots_.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (s.id < 0) return std::nullopt;
    if (s.hash == h && s.length == token.size() &&
        std::memcmp(arena_.data() + s.offset, token.data(), token.size()) == 0) {
      return s.id;
    }
  }
}

void VocabMap::grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.size() * 2, Slot{});
  const size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.id < 0) continue;
    size_t i = s.hash & mask;
    while (slots_[i].id >= 0) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

}  // namespace bertcls::text
