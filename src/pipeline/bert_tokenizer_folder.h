// A WordPiece vocabulary saved as the folder transformers' BertTokenizerFast saves:
// vocab.txt, tokenizer.json, tokenizer_config.json and special_tokens_map.json.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace bertcls::pipeline {

struct BertTokenizerFiles {
  std::vector<std::string> vocab;           // token of id i
  std::vector<std::string> special_tokens;  // in vocab; [UNK], [CLS] and [SEP] among them
  bool clean_text = true;
  bool handle_chinese_chars = true;
  std::optional<bool> strip_accents;  // unset: as lowercase (written as null)
  bool lowercase = true;
};

// Writes the folder atomically (the old one, if any, stays until the new one is whole).
// [PAD] and [MASK] get their roles in the configs when they are special tokens; other
// special tokens besides the five are additional_special_tokens.
void write_bert_tokenizer_folder(const std::filesystem::path& dir, const BertTokenizerFiles& files);

}  // namespace bertcls::pipeline
