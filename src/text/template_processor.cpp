#include "text/template_processor.h"

#include "text/byte_level_offsets.h"

namespace bertcls::text {

TemplateProcessor::TemplateProcessor(std::vector<Piece> single, std::vector<Piece> pair)
    : single_(std::move(single)), pair_(std::move(pair)) {}

TemplateProcessor TemplateProcessor::bert(const std::string& cls, int32_t cls_id,
                                          const std::string& sep, int32_t sep_id) {
  Piece c{false, 0, {cls_id}, {cls}, 0}, s{false, 0, {sep_id}, {sep}, 0};
  Piece a{true, 0, {}, {}, 0}, b{true, 1, {}, {}, 1};
  Piece s1 = s;
  s1.type_id = 1;
  return TemplateProcessor({c, a, s}, {c, a, s, b, s1});
}

TemplateProcessor TemplateProcessor::roberta(const std::string& cls, int32_t cls_id, const std::string& sep,
                                             int32_t sep_id, bool trim_offsets, bool add_prefix_space) {
  Piece c{false, 0, {cls_id}, {cls}, 0}, s{false, 0, {sep_id}, {sep}, 0};
  Piece a{true, 0, {}, {}, 0}, b{true, 1, {}, {}, 0};
  TemplateProcessor t({c, a, s}, {c, a, s, s, b, s});
  if (trim_offsets) t.set_offset_trimming(add_prefix_space);
  return t;
}

TemplateProcessor TemplateProcessor::none() {
  return TemplateProcessor({{true, 0, {}, {}, 0}}, {{true, 0, {}, {}, 0}, {true, 1, {}, {}, 1}});
}

size_t TemplateProcessor::added_tokens(bool pair) const {
  size_t n = 0;
  for (const Piece& p : pair ? pair_ : single_) n += p.ids.size();
  return n;
}

Encoding TemplateProcessor::apply(const Encoding& a, const Encoding* b, bool add_special_tokens) const {
  Encoding out;
  for (const Piece& p : b ? pair_ : single_) {
    if (p.is_sequence) {
      const Encoding& e = p.sequence == 0 ? a : *b;
      const size_t start = out.size();
      out.append(e);
      std::fill(out.type_ids.begin() + static_cast<std::ptrdiff_t>(start), out.type_ids.end(), p.type_id);
      if (trim_) trim_byte_level_offsets(out, start, out.size(), *trim_);
    } else if (add_special_tokens) {
      for (size_t k = 0; k < p.ids.size(); ++k) out.push(p.ids[k], p.tokens[k], {0, 0}, p.type_id, true);
    }
  }
  return out;
}

}  // namespace bertcls::text
