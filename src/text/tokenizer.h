// The tokenizer of a Hugging Face model folder, id-for-id identical to Hugging Face's
// `tokenizers` (the Rust crate behind BertTokenizerFast, RobertaTokenizerFast and
// XLMRobertaTokenizerFast): BERT's WordPiece, GPT-2/RoBERTa's byte-level BPE, or
// XLM-R's SentencePiece Unigram.
//
//   auto tok = bertcls::text::Tokenizer::from_directory("data/rubert-tiny2");
//   Encoding e = tok.encode("Привет, мир!");            // [CLS] ... [SEP]
//   Encoding p = tok.encode_pair("question", "context"); // [CLS] A [SEP] B [SEP]
//
// The pipeline mirrors tokenizer.json block by block: added-token matching
// (added_vocabulary.h), normalizer (normalizer.h), pre-tokenizer (bert_pre_tokenizer.h,
// byte_level_pre_tokenizer.h, metaspace_pre_tokenizer.h), model (model.h: wordpiece.h,
// bpe.h, unigram.h), truncation and padding (truncation.h), post-processor
// (template_processor.h), decoder (wordpiece_decoder.h, byte_level_decoder.h,
// decoder_chain.h).
// README.md next to this file lists where the slow (Python) tokenizer differs.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "common/utf8.h"
#include "text/added_vocabulary.h"
#include "text/byte_level_decoder.h"
#include "text/byte_level_pre_tokenizer.h"
#include "text/encoding.h"
#include "text/decoder_chain.h"
#include "text/metaspace_pre_tokenizer.h"
#include "text/model.h"
#include "text/normalizer.h"
#include "text/template_processor.h"
#include "text/truncation.h"
#include "text/wordpiece_decoder.h"

namespace bertcls::text {

class Tokenizer {
 public:
  // tokenizer.json if the folder has one, else vocab.txt + tokenizer_config.json (+
  // special_tokens_map.json), converted as transformers' BertConverter does.
  static Tokenizer from_directory(const std::filesystem::path& dir);
  static Tokenizer from_tokenizer_json(const std::filesystem::path& file);

  // Offsets are code-point indices into `text` (as Python's fast tokenizers return
  // them); special tokens get (0, 0). Truncation and padding follow the settings below,
  // which start as the tokenizer.json's truncation/padding blocks.
  Encoding encode(std::string_view text, bool add_special_tokens = true) const;
  Encoding encode_pair(std::string_view text, std::string_view pair,
                       bool add_special_tokens = true) const;
  // A long text as the windows HF's truncation with a stride returns (the encoding and
  // its overflowing encodings, return_overflowing_tokens=True): the text's tokens cut
  // into pieces of max_length minus the special tokens, each starting `stride` tokens
  // before the previous one ends, the last one reaching the end, each with its special
  // tokens. A text that fits is one window. Ignores the truncation and padding settings.
  // Throws Error when stride leaves a window no new token.
  std::vector<Encoding> encode_windows(std::string_view text, size_t max_length, size_t stride) const;
  // Special tokens the post-processor adds around one text or a pair.
  size_t added_tokens(bool pair) const { return processor_.added_tokens(pair); }
  // Encodes in parallel (OpenMP); BatchLongest padding pads to the batch's longest.
  std::vector<Encoding> encode_batch(const std::vector<std::string>& texts,
                                     bool add_special_tokens = true) const;

  void set_truncation(std::optional<TruncationParams> params) { truncation_ = params; }
  void set_padding(std::optional<PaddingParams> params) { padding_ = std::move(params); }
  const std::optional<TruncationParams>& truncation() const { return truncation_; }
  const std::optional<PaddingParams>& padding() const { return padding_; }
  // Invalid UTF-8 in a text: an Error (the default) or U+FFFD per bad sequence.
  void set_invalid_utf8(InvalidUtf8Policy policy) { invalid_utf8_ = policy; }

  // Tokens joined back into text by the decoder (WordPiece: "##" glued, cleanup of
  // spaces before punctuation; ByteLevel: the bytes the tokens stand for; Metaspace: ▁
  // back to spaces; ByteFallback: <0xXX> pieces back to bytes), as tokenizer.decode does.
  std::string decode(const std::vector<int32_t>& ids, bool skip_special_tokens = true) const;

  std::optional<int32_t> token_to_id(std::string_view token) const;
  std::string id_to_token(int32_t id) const;  // throws Error for an id outside the vocabulary
  int32_t vocab_size() const;                 // model vocabulary plus added tokens
  int32_t cls_id() const { return cls_id_; }
  int32_t sep_id() const { return sep_id_; }
  int32_t pad_id() const { return pad_id_; }
  int32_t unk_id() const { return model_.unk_id(); }  // -1 when the model has none

  // Copies the tokenizer files this tokenizer was loaded from into `dir` (each written
  // to a temporary name, then renamed), so transformers' AutoTokenizer loads the result.
  void save_to_directory(const std::filesystem::path& dir) const;

 private:
  friend class TokenizerLoader;
  Tokenizer() = default;

  // One input sequence through added tokens, normalizer, pre-tokenizer and model,
  // cut by HF's early exit when truncation is set (tokens_before_early_exit) and asked for.
  Encoding encode_sequence(std::string_view text, int32_t type_id, bool early_exit = true) const;
  Encoding finish(Encoding a, std::optional<Encoding> b, bool add_special_tokens) const;

  AddedVocabulary added_;
  Normalizer normalizer_;
  // At most one is set; none: BertPreTokenizer.
  std::optional<ByteLevelPreTokenizer> byte_level_;
  std::optional<MetaspacePreTokenizer> metaspace_;
  Model model_;
  TemplateProcessor processor_;
  std::optional<TruncationParams> truncation_;
  std::optional<PaddingParams> padding_;
  InvalidUtf8Policy invalid_utf8_ = InvalidUtf8Policy::kError;
  std::variant<std::monostate, WordPieceDecoder, ByteLevelDecoder, DecoderChain> decoder_;  // monostate: tokens joined by spaces
  int32_t cls_id_ = -1, sep_id_ = -1, pad_id_ = -1;
  std::vector<std::filesystem::path> source_files_;  // what save_to_directory copies
};

}  // namespace bertcls::text
