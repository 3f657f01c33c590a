#include "text/tokenizer.h"

#include <algorithm>
#include <fstream>

#include <bertcls/error.h>
#include "text/bert_pre_tokenizer.h"

namespace bertcls::text {

Encoding Tokenizer::encode_sequence(std::string_view text, int32_t type_id, bool early_exit) const {
  // Scratch space reused across calls on the same thread (encode_batch runs many).
  thread_local std::vector<char32_t> chars;
  thread_local NormalizedText norm;
  thread_local std::vector<AddedVocabulary::Match> raw_matches, norm_matches;
  thread_local std::vector<CharSpan> words;
  thread_local NormalizedText pre_chars;  // what the ByteLevel or Metaspace pre-tokenizer's words index
  thread_local std::vector<SplitEnd> splits;
  chars.clear();
  splits.clear();
  decode_utf8(text, chars, invalid_utf8_);

  Encoding out;
  auto push_added = [&](const AddedToken& t, const char32_t* matched, size_t n, std::pair<int32_t, int32_t> offsets) {
    std::string token;
    for (size_t k = 0; k < n; ++k) append_utf8(matched[k], token);
    out.push(t.id, std::move(token), offsets, type_id, false);
    splits.push_back({out.size(), true});
  };
  // Normalizes, pre-tokenizes and encodes chars [begin, end) of the raw text with the model.
  auto encode_plain = [&](int32_t begin, int32_t end) {
    if (begin == end) return;
    norm.clear();
    normalizer_.normalize(chars.data() + begin, static_cast<size_t>(end - begin), begin, norm);
    norm_matches.clear();
    if (added_.has_normalized()) added_.find(norm.chars.data(), norm.size(), true, norm_matches);
    int32_t at = 0;
    auto words_of = [&](int32_t b, int32_t e) {
      words.clear();
      const NormalizedText* source = &norm;
      if (byte_level_) {
        pre_chars.clear();
        byte_level_->pre_tokenize(norm, {b, e}, pre_chars, words);
        source = &pre_chars;
      } else if (metaspace_) {
        pre_chars.clear();
        // HF asks whether the split's original offset is 0: the raw piece's start for
        // its first split, else the origin of the split's first character.
        const bool at_text_start = (b == 0 ? begin : (b < e ? norm.origin[b] : -1)) == 0;
        metaspace_->pre_tokenize(norm, {b, e}, at_text_start, pre_chars, words);
        source = &pre_chars;
      } else {
        bert_pre_tokenize(norm, {b, e}, words);
      }
      for (CharSpan w : words) {
        model_.tokenize(*source, w, type_id, out);
        splits.push_back({out.size(), false});
      }
    };
    for (const auto& m : norm_matches) {
      words_of(at, m.begin);
      push_added(*m.token, norm.chars.data() + m.begin, static_cast<size_t>(m.end - m.begin),
                 {norm.origin[m.begin], norm.origin[m.end - 1] + 1});
      at = m.end;
    }
    words_of(at, static_cast<int32_t>(norm.size()));
  };

  raw_matches.clear();
  if (!added_.empty()) added_.find(chars.data(), chars.size(), false, raw_matches);
  int32_t at = 0;
  for (const auto& m : raw_matches) {
    encode_plain(at, m.begin);
    push_added(*m.token, chars.data() + m.begin, static_cast<size_t>(m.end - m.begin), {m.begin, m.end});
    at = m.end;
  }
  encode_plain(at, static_cast<int32_t>(chars.size()));
  // HF 0.23 tokenizes only up to the truncation length; that cut decides which text of
  // a pair is the longer (truncation.h).
  if (early_exit && truncation_ && (truncation_->strategy != TruncationStrategy::kOnlySecond || type_id != 0)) {
    out.truncate(tokens_before_early_exit(splits, truncation_->max_length, truncation_->from_left),
                 truncation_->from_left);
  }
  return out;
}

Encoding Tokenizer::finish(Encoding a, std::optional<Encoding> b, bool add_special_tokens) const {
  Encoding* pair = b ? &*b : nullptr;
  if (truncation_) {
    size_t max_length = truncation_->max_length;
    const size_t added = add_special_tokens ? processor_.added_tokens(pair != nullptr) : 0;
    if (max_length < added) {
      throw Error("truncation max_length " + std::to_string(max_length) + " leaves no room for the " +
                  std::to_string(added) + " special tokens");
    }
    if (max_length == 0) {  // HF empties both sequences rather than failing
      a.truncate(0, false);
      if (pair) pair->truncate(0, false);
    } else {
      truncate_encodings(a, pair, max_length - added, truncation_->strategy, truncation_->from_left);
    }
  }
  Encoding out = processor_.apply(a, pair, add_special_tokens);
  if (padding_) pad_encodings({&out}, *padding_);
  return out;
}

Encoding Tokenizer::encode(std::string_view text, bool add_special_tokens) const {
  return finish(encode_sequence(text, 0), std::nullopt, add_special_tokens);
}

Encoding Tokenizer::encode_pair(std::string_view text, std::string_view pair, bool add_special_tokens) const {
  return finish(encode_sequence(text, 0), encode_sequence(pair, 1), add_special_tokens);
}

std::vector<Encoding> Tokenizer::encode_windows(std::string_view text, size_t max_length, size_t stride) const {
  const size_t added = processor_.added_tokens(false);
  if (max_length <= added + stride)
    throw Error("windows of " + std::to_string(max_length) + " tokens with " + std::to_string(added) +
                " special tokens cannot overlap by a stride of " + std::to_string(stride));
  const size_t window = max_length - added;
  const Encoding all = encode_sequence(text, 0, /*early_exit=*/false);
  std::vector<Encoding> out;
  for (size_t start = 0;; start += window - stride) {
    const size_t stop = std::min(start + window, all.size());
    out.push_back(processor_.apply(all.slice(start, stop), nullptr, true));
    if (stop == all.size()) break;
  }
  return out;
}

std::vector<Encoding> Tokenizer::encode_batch(const std::vector<std::string>& texts,
                                              bool add_special_tokens) const {
  std::vector<Encoding> out(texts.size());
  std::string error;
#pragma omp parallel for schedule(dynamic, 64)
  for (size_t i = 0; i < texts.size(); ++i) {
    try {
      out[i] = finish(encode_sequence(texts[i], 0), std::nullopt, add_special_tokens);
    } catch (const std::exception& e) {
#pragma omp critical
      if (error.empty()) error = "text " + std::to_string(i + 1) + ": " + e.what();
    }
  }
  if (!error.empty()) throw Error(error);
  if (padding_) {  // BatchLongest needs every length first
    std::vector<Encoding*> all;
    for (Encoding& e : out) all.push_back(&e);
    pad_encodings(all, *padding_);
  }
  return out;
}

std::optional<int32_t> Tokenizer::token_to_id(std::string_view token) const {
  if (const AddedToken* t = added_.by_content(token)) return t->id;
  return model_.token_to_id(token);
}

std::string Tokenizer::id_to_token(int32_t id) const {
  if (const AddedToken* t = added_.by_id(id)) return t->text;
  if (const std::string* t = model_.id_to_token(id)) return *t;
  throw Error("token id " + std::to_string(id) + " is not in the vocabulary");
}

int32_t Tokenizer::vocab_size() const {
  size_t n = model_.size();
  for (const AddedToken& t : added_.tokens()) n += !model_.token_to_id(t.content).has_value();
  return static_cast<int32_t>(n);
}

std::string Tokenizer::decode(const std::vector<int32_t>& ids, bool skip_special_tokens) const {
  std::vector<std::string> tokens;
  for (int32_t id : ids) {
    const AddedToken* added = added_.by_id(id);
    if (added && added->special && skip_special_tokens) continue;
    if (added) {
      tokens.push_back(added->text);
    } else if (const std::string* t = model_.id_to_token(id)) {
      tokens.push_back(*t);
    }  // unknown ids are skipped, as HF skips them
  }
  if (const auto* d = std::get_if<WordPieceDecoder>(&decoder_)) return d->decode(tokens);
  if (const auto* d = std::get_if<ByteLevelDecoder>(&decoder_)) return d->decode(tokens);
  if (const auto* d = std::get_if<DecoderChain>(&decoder_)) return d->decode(std::move(tokens));
  std::string out;
  for (size_t i = 0; i < tokens.size(); ++i) out += (i ? " " : "") + tokens[i];
  return out;
}

}  // namespace bertcls::text
