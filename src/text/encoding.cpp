#include "text/encoding.h"

#include <nlohmann/json.hpp>

namespace bertcls::text {

namespace {
template <typename T>
void append_to(std::vector<T>& a, const std::vector<T>& b) {
  a.insert(a.end(), b.begin(), b.end());
}
template <typename T>
void keep(std::vector<T>& v, size_t n, bool from_left) {
  if (from_left) v.erase(v.begin(), v.end() - static_cast<std::ptrdiff_t>(n));
  else v.resize(n);
}
}  // namespace

void Encoding::append(const Encoding& other) {
  append_to(ids, other.ids);
  append_to(type_ids, other.type_ids);
  append_to(attention_mask, other.attention_mask);
  append_to(special_tokens_mask, other.special_tokens_mask);
  append_to(tokens, other.tokens);
  append_to(offsets, other.offsets);
}

std::string Encoding::to_json() const {
  nlohmann::json spans = nlohmann::json::array();
  for (const auto& [start, end] : offsets) spans.push_back({start, end});
  const nlohmann::ordered_json line = {{"ids", ids}, {"type_ids", type_ids}, {"tokens", tokens}, {"offsets", spans}};
  return line.dump();
}

Encoding Encoding::slice(size_t begin, size_t end) const {
  Encoding out = *this;
  out.truncate(end, false);
  out.truncate(end - begin, true);
  return out;
}

void Encoding::truncate(size_t n, bool from_left) {
  if (n >= size()) return;
  keep(ids, n, from_left);
  keep(type_ids, n, from_left);
  keep(attention_mask, n, from_left);
  keep(special_tokens_mask, n, from_left);
  keep(tokens, n, from_left);
  keep(offsets, n, from_left);
}

}  // namespace bertcls::text
