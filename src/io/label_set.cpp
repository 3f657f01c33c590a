#include "io/label_set.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <set>

#include <bertcls/error.h>

namespace bertcls::io {

namespace {

std::optional<long long> as_integer(const std::string& s) {
  long long v = 0;
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, v);
  if (s.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return v;
}

}  // namespace

LabelSet::LabelSet(std::vector<std::string> id2label) : id2label_(std::move(id2label)) {
  for (std::size_t i = 0; i < id2label_.size(); ++i) {
    if (id2label_[i].empty()) throw Error("label set: label " + std::to_string(i) + " has an empty name");
    if (!label2id_.emplace(id2label_[i], static_cast<int>(i)).second)
      throw Error("label set: label '" + id2label_[i] + "' appears twice");
  }
}

LabelSet LabelSet::from_observed(const std::vector<std::string>& labels) {
  const std::set<std::string> unique(labels.begin(), labels.end());
  std::vector<std::string> names(unique.begin(), unique.end());  // byte order
  const bool all_integers = std::all_of(names.begin(), names.end(), [](const std::string& s) { return as_integer(s).has_value(); });
  if (all_integers)
    // Ties in value ("1" and "01") keep byte order so the result stays deterministic.
    std::stable_sort(names.begin(), names.end(),
                     [](const std::string& a, const std::string& b) { return *as_integer(a) < *as_integer(b); });
  return LabelSet(std::move(names));
}

int LabelSet::id_of(std::string_view label) const {
  const auto it = label2id_.find(label);
  return it == label2id_.end() ? -1 : it->second;
}

}  // namespace bertcls::io
