// The "post_processor" block: TemplateProcessing, BertProcessing (the template
// "[CLS]:0 $A:0 [SEP]:0" / "[CLS]:0 $A:0 [SEP]:0 $B:1 [SEP]:1"), RobertaProcessing (the
// template "<s> $A </s>" / "<s> $A </s> </s> $B </s>", every type id 0, plus ByteLevel's
// offset trimming), ByteLevel (the trimming alone) or none.
#pragma once

#include <cstdint>
#include <optional>
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
  // RobertaProcessing; trim_offsets and add_prefix_space as trim_byte_level_offsets takes them.
  static TemplateProcessor roberta(const std::string& cls, int32_t cls_id, const std::string& sep, int32_t sep_id,
                                   bool trim_offsets, bool add_prefix_space);
  // No post-processor: the texts as they are, the pair with type id 1.
  static TemplateProcessor none();
  // Trims each text's offsets as ByteLevel does (byte_level_offsets.h) before laying it out.
  void set_offset_trimming(bool add_prefix_space) { trim_ = add_prefix_space; }

  // Special tokens the template adds around one text or a pair.
  size_t added_tokens(bool pair) const;
  // Lays out a (and b) with the template; without special tokens, HF still applies the
  // template's type ids to the texts.
  Encoding apply(const Encoding& a, const Encoding* b, bool add_special_tokens) const;

 private:
  std::vector<Piece> single_, pair_;
  std::optional<bool> trim_;  // set: trim offsets, with this add_prefix_space
};

}  // namespace bertcls::text
