#include "pipeline/bert_tokenizer_folder.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include <bertcls/error.h>
#include "io/atomic_file.h"

namespace bertcls::pipeline {

namespace {

namespace fs = std::filesystem;
using ordered_json = nlohmann::ordered_json;

// transformers' roles of BERT's special tokens, in the order its configs list them.
constexpr const char* kRoles[][2] = {
    {"cls_token", "[CLS]"}, {"mask_token", "[MASK]"}, {"pad_token", "[PAD]"}, {"sep_token", "[SEP]"}, {"unk_token", "[UNK]"}};

int32_t id_of(const BertTokenizerFiles& f, const std::string& token) {
  auto it = std::find(f.vocab.begin(), f.vocab.end(), token);
  if (it == f.vocab.end()) throw Error("special token " + token + " is not in the vocabulary");
  return static_cast<int32_t>(it - f.vocab.begin());
}

bool is_special(const BertTokenizerFiles& f, const std::string& token) {
  return std::find(f.special_tokens.begin(), f.special_tokens.end(), token) != f.special_tokens.end();
}

ordered_json strip_accents_json(const BertTokenizerFiles& f) {
  return f.strip_accents ? ordered_json(*f.strip_accents) : ordered_json(nullptr);
}

// tokenizer.json as BertTokenizerFast saves it (BertConverter's TemplateProcessing).
ordered_json tokenizer_json(const BertTokenizerFiles& f) {
  ordered_json added = ordered_json::array();
  for (const std::string& s : f.special_tokens) {
    added.push_back({{"id", id_of(f, s)}, {"content", s}, {"single_word", false}, {"lstrip", false},
                     {"rstrip", false}, {"normalized", false}, {"special", true}});
  }
  auto special = [](const char* token, int type_id) {
    return ordered_json{{"SpecialToken", {{"id", token}, {"type_id", type_id}}}};
  };
  auto sequence = [](const char* id, int type_id) {
    return ordered_json{{"Sequence", {{"id", id}, {"type_id", type_id}}}};
  };
  ordered_json specials = ordered_json::object();
  for (const char* s : {"[CLS]", "[SEP]"})
    specials[s] = {{"id", s}, {"ids", {id_of(f, s)}}, {"tokens", {s}}};
  ordered_json vocab = ordered_json::object();
  for (size_t i = 0; i < f.vocab.size(); ++i) vocab[f.vocab[i]] = i;
  return {{"version", "1.0"},
          {"truncation", nullptr},
          {"padding", nullptr},
          {"added_tokens", std::move(added)},
          {"normalizer",
           {{"type", "BertNormalizer"},
            {"clean_text", f.clean_text},
            {"handle_chinese_chars", f.handle_chinese_chars},
            {"strip_accents", strip_accents_json(f)},
            {"lowercase", f.lowercase}}},
          {"pre_tokenizer", {{"type", "BertPreTokenizer"}}},
          {"post_processor",
           {{"type", "TemplateProcessing"},
            {"single", {special("[CLS]", 0), sequence("A", 0), special("[SEP]", 0)}},
            {"pair", {special("[CLS]", 0), sequence("A", 0), special("[SEP]", 0), sequence("B", 1), special("[SEP]", 1)}},
            {"special_tokens", std::move(specials)}}},
          {"decoder", {{"type", "WordPiece"}, {"prefix", "##"}, {"cleanup", true}}},
          {"model",
           {{"type", "WordPiece"},
            {"unk_token", "[UNK]"},
            {"continuing_subword_prefix", "##"},
            {"max_input_chars_per_word", 100},
            {"vocab", std::move(vocab)}}}};
}

// The special tokens' roles, as special_tokens_map.json has them and
// tokenizer_config.json repeats them.
ordered_json special_tokens_map(const BertTokenizerFiles& f) {
  ordered_json out = ordered_json::object();
  ordered_json extra = ordered_json::array();
  for (const std::string& s : f.special_tokens) {
    if (std::none_of(std::begin(kRoles), std::end(kRoles), [&](const auto& r) { return s == r[1]; }))
      extra.push_back(s);
  }
  if (!extra.empty()) out["additional_special_tokens"] = std::move(extra);
  for (const auto& [role, token] : kRoles)
    if (is_special(f, token)) out[role] = token;
  return out;
}

ordered_json tokenizer_config(const BertTokenizerFiles& f) {
  ordered_json decoder = ordered_json::object();
  for (const std::string& s : f.special_tokens) {
    decoder[std::to_string(id_of(f, s))] = {{"content", s}, {"lstrip", false}, {"normalized", false},
                                            {"rstrip", false}, {"single_word", false}, {"special", true}};
  }
  ordered_json out = {{"added_tokens_decoder", std::move(decoder)}};
  const ordered_json roles = special_tokens_map(f);
  if (roles.contains("additional_special_tokens")) out["additional_special_tokens"] = roles["additional_special_tokens"];
  out["clean_up_tokenization_spaces"] = true;
  auto role = [&](const char* name) {
    if (roles.contains(name)) out[name] = roles[name];
  };
  role("cls_token");
  out["do_lower_case"] = f.lowercase;
  role("mask_token");
  // A new vocabulary knows no model; 512 is BERT's position limit.
  out["model_max_length"] = 512;
  role("pad_token");
  role("sep_token");
  out["strip_accents"] = strip_accents_json(f);
  out["tokenize_chinese_chars"] = f.handle_chinese_chars;
  out["tokenizer_class"] = "BertTokenizer";
  role("unk_token");
  return out;
}

void write_json(const fs::path& file, const ordered_json& j) {
  io::write_file_atomically(file, [&](std::ostream& out) { out << j.dump(2) << '\n'; });
}

}  // namespace

void write_bert_tokenizer_folder(const fs::path& dir, const BertTokenizerFiles& files) {
  for (const char* needed : {"[UNK]", "[CLS]", "[SEP]"}) {
    if (!is_special(files, needed)) throw Error(std::string("the special tokens must include ") + needed);
  }
  // Everything is built before the folder is touched.
  const ordered_json tokenizer = tokenizer_json(files), config = tokenizer_config(files),
                     roles = special_tokens_map(files);
  io::write_directory_atomically(
      dir,
      [&](const fs::path& tmp) {
        io::write_file_atomically(tmp / "vocab.txt", [&](std::ostream& out) {
          for (const std::string& token : files.vocab) out << token << '\n';
        });
        write_json(tmp / "tokenizer.json", tokenizer);
        write_json(tmp / "tokenizer_config.json", config);
        write_json(tmp / "special_tokens_map.json", roles);
      },
      "the vocabulary");
}

}  // namespace bertcls::pipeline
