#include "text/word_counter.h"

#include "common/utf8.h"
#include "text/bert_pre_tokenizer.h"

namespace bertcls::text {

void WordCounter::add(std::string_view text) {
  chars_.clear();
  decode_utf8(text, chars_, InvalidUtf8Policy::kError);
  raw_.clear();
  for (size_t i = 0; i < chars_.size(); ++i) raw_.push(chars_[i], static_cast<int32_t>(i));
  norm_.clear();
  normalizer_.normalize(raw_, norm_);
  words_.clear();
  bert_pre_tokenize(norm_, {0, static_cast<int32_t>(norm_.size())}, words_);
  for (CharSpan w : words_) ++counts_[std::u32string(norm_.chars.begin() + w.begin, norm_.chars.begin() + w.end)];
}

}  // namespace bertcls::text
