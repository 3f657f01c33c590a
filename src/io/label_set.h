// The classes of a classifier: id <-> label name, saved as config.json's id2label.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace bertcls::io {

class LabelSet {
 public:
  LabelSet() = default;
  // A given order, e.g. a trained model's id2label. Throws bertcls::Error on a duplicate
  // or empty name.
  explicit LabelSet(std::vector<std::string> id2label);

  // The label set of observed labels, in a stable order that does not depend on the order
  // of the rows: if every label is an integer ("0", "-1", "12") they are sorted
  // numerically, so the tutorial's 0/1 labels get ids 0/1 and 1..5 stars get ids 0..4;
  // otherwise they are sorted by bytes (as sklearn's LabelEncoder sorts strings).
  static LabelSet from_observed(const std::vector<std::string>& labels);

  // -1 when the label is not in the set.
  int id_of(std::string_view label) const;
  const std::string& name(int id) const { return id2label_.at(static_cast<std::size_t>(id)); }
  const std::vector<std::string>& id2label() const { return id2label_; }
  int size() const { return static_cast<int>(id2label_.size()); }
  bool empty() const { return id2label_.empty(); }

 private:
  std::vector<std::string> id2label_;
  std::map<std::string, int, std::less<>> label2id_;
};

}  // namespace bertcls::io
