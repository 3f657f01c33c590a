// token -> id for the WordPiece vocabulary: open addressing over one string arena, so a
// lookup of a candidate piece hashes a string_view and allocates nothing. WordPiece
// probes it O(word length²) times per word; std::unordered_map<std::string> cost a
// quarter of the tokenizer's time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bertcls::text {

class VocabMap {
 public:
  // Later duplicates of a token replace earlier ones (as a dict built line by line does).
  void insert(std::string_view token, int32_t id);
  std::optional<int32_t> find(std::string_view token) const;
  size_t size() const { return count_; }

 private:
  struct Slot {
    uint64_t hash = 0;
    uint32_t offset = 0, length = 0;
    int32_t id = -1;  // -1: empty
  };
  static uint64_t hash(std::string_view s);
  void grow();

  std::vector<Slot> slots_ = std::vector<Slot>(16);
  std::string arena_;
  size_t count_ = 0;
};

}  // namespace bertcls::text
