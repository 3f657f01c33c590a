#include "model/batch.h"

#include <string>

#include <bertcls/error.h>

namespace bertcls::model {

void Batch::add_sequence(std::span<const int32_t> seq_ids, std::span<const int32_t> seq_type_ids) {
  ids.insert(ids.end(), seq_ids.begin(), seq_ids.end());
  if (seq_type_ids.empty()) {
    type_ids.resize(ids.size(), 0);
  } else {
    type_ids.insert(type_ids.end(), seq_type_ids.begin(), seq_type_ids.end());
  }
  offsets.push_back(static_cast<int32_t>(ids.size()));
}

void Batch::clear() {
  ids.clear();
  type_ids.clear();
  offsets.assign(1, 0);
  class_labels.clear();
  float_labels.clear();
  mlm_labels.clear();
}

Batch Batch::from_padded(std::span<const int32_t> ids, std::span<const int32_t> type_ids,
                         std::span<const int32_t> mask, int B, int S) {
  const size_t n = static_cast<size_t>(B) * S;
  if (ids.size() != n || mask.size() != n || (!type_ids.empty() && type_ids.size() != n))
    throw Error("padded batch: input_ids, token_type_ids and attention_mask must all be [" + std::to_string(B) +
                ", " + std::to_string(S) + "]");
  Batch batch;
  for (int b = 0; b < B; b++) {
    const int32_t* m = mask.data() + (size_t)b * S;
    int len = 0;
    while (len < S && m[len] == 1) len++;
    for (int s = len; s < S; s++)
      if (m[s] != 0)
        throw Error("padded batch: attention_mask row " + std::to_string(b) +
                    " is not ones followed by zeros (only right padding can be packed)");
    if (len == 0) throw Error("padded batch: attention_mask row " + std::to_string(b) + " has no tokens");
    batch.add_sequence(ids.subspan((size_t)b * S, len),
                       type_ids.empty() ? std::span<const int32_t>{} : type_ids.subspan((size_t)b * S, len));
  }
  return batch;
}

}  // namespace bertcls::model
