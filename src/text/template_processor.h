// The "post_processor" block: TemplateProcessing, or BertProcessing (which is the
// template "[CLS]:0 $A:0 [SEP]:0" / "[CLS]:0 $A:0 [SEP]:0 $B:1 [SEP]:1").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "text/encoding.h"

namespace bertcls::text {

class TemplateProcessor {
 public:
  struct Piece {
    bool is_sequence = false;  // a text (A or B) rather than a special token
    int sequence = 0;          // 0 = $A, 1 = $B
    std::vector<int32_t> ids;  // special token: its ids and tokens
    std::vector<std::string> tokens;
    int32_t type_id = 0;
  };

  TemplateProcessor() = default;
  TemplateProcessor(std::vector<Piece> single, std::vector<Piece> pair);
  // BertProcessing's fixed template.
  static TemplateProcessor bert(const std::string& cls, int32_t cls_id, const std::string& sep,
                                int32_t sep_id);

  // Special tokens the template adds around one text or a pair.
  size_t added_tokens(bool pair) const;
  // Lays out a (and b) with the template; without special tokens, HF still applies the
  // template's type ids to the texts.
  Encoding apply(const Encoding& a, const Encoding* b, bool add_special_tokens) const;

 private:
  std::vector<Piece> single_, pair_;
};

}  // namespace bertcls::text
