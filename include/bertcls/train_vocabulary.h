// Training a WordPiece vocabulary from texts, as Hugging Face's WordPieceTrainer does
// (BertWordPieceTokenizer.train), and saving it as a BERT tokenizer folder.
//
//   #include <bertcls/train_vocabulary.h>
//   bertcls::VocabularyOptions o;
//   o.text_files = {"corpus.txt", "train.csv"};  // lines; a CSV's text column
//   o.vocab_size = 30000;
//   o.out = "out/tokenizer";
//   bertcls::VocabularyResult r = bertcls::train_vocabulary(o);
//
// The folder holds vocab.txt, tokenizer.json (BertNormalizer, BertPreTokenizer, WordPiece
// with [UNK] and "##", [CLS] $A [SEP] / [CLS] $A [SEP] $B [SEP], the WordPiece decoder),
// tokenizer_config.json and special_tokens_map.json, as transformers' BertTokenizerFast
// saves them: AutoTokenizer, npm tokenizers' Tokenizer.fromFile and bertcls load it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <bertcls/data.h>
#include <bertcls/error.h>

namespace bertcls {

struct VocabularyOptions {
  // Each file is read by its extension: .csv, .tsv/.tab, .jsonl/.json/.ndjson as a
  // dataset whose data.text_column is the text (labels are not read); anything else
  // one text per line. data.format, when set, reads every file as that format, and
  // `lines` reads every file as lines.
  std::vector<std::string> text_files;
  DataOptions data;
  bool lines = false;
  std::string out;  // the folder written (replaced whole if it exists)

  std::size_t vocab_size = 30000;
  std::uint64_t min_frequency = 0;            // pairs seen fewer times are not merged
  std::optional<std::size_t> limit_alphabet;  // keep only the most frequent characters
  // The normalizer the tokenizer will run (BertNormalizer's options).
  bool lowercase = true;
  std::optional<bool> strip_accents;  // unset: as lowercase (tokenizer.json's null)
  bool handle_chinese_chars = true;
  bool clean_text = true;
  // First in the vocabulary, in this order; must hold [UNK], [CLS] and [SEP].
  std::vector<std::string> special_tokens = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
};

struct VocabularyResult {
  std::size_t texts = 0;     // texts read
  std::size_t words = 0;     // distinct words after normalization and pre-tokenization
  std::size_t alphabet = 0;  // characters kept
  std::size_t size = 0;      // tokens in the vocabulary
  double seconds = 0;        // reading, training and writing
};

// Throws Error naming the file and line (or option) of anything wrong: a file that
// cannot be read, invalid UTF-8, no words at all, a vocab_size below what the special
// tokens and the alphabet need (the minimum is named).
VocabularyResult train_vocabulary(const VocabularyOptions& options,
                                  const std::function<void(const std::string&)>& on_message = {});

}  // namespace bertcls
