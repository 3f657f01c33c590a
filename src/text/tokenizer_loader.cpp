// Builds a Tokenizer from a model folder: tokenizer.json block by block, or the slow
// tokenizer's files converted as transformers' BertConverter (vocab.txt) and
// RobertaConverter (vocab.json + merges.txt) convert them (convert_slow_tokenizer.py).
#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include <bertcls/error.h>
#include "common/base64.h"
#include "common/utf8.h"
#include "text/tokenizer.h"

namespace bertcls::text {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

std::string read_file(const fs::path& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw Error(path.string() + ": cannot open");
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

json read_json(const fs::path& path) {
  try {
    return json::parse(read_file(path));
  } catch (const json::exception& e) {
    throw Error(path.string() + ": not valid JSON: " + e.what());
  }
}

// Reads `key` of `j` as T, or `fallback` when the key is absent or null.
template <typename T>
T get_or(const json& j, const char* key, T fallback) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  return it->get<T>();
}

std::u32string to_u32(const std::string& s) {
  std::vector<char32_t> chars;
  decode_utf8(s, chars, InvalidUtf8Policy::kError);
  return {chars.begin(), chars.end()};
}

std::string type_of(const json& block) {
  return block.is_object() ? get_or<std::string>(block, "type", "") : (block.is_null() ? "null" : "?");
}

// A slow tokenizer's special token `key` ("unk_token"), from special_tokens_map.json or
// else tokenizer_config.json: a string, or an AddedToken object {"content", "lstrip", …}.
json special_token(const json& map, const json& config, const char* key, const char* fallback) {
  for (const json* src : {&map, &config}) {
    auto it = src->find(key);
    if (it != src->end() && !it->is_null())
      return it->is_object() ? *it : json::object({{"content", it->get<std::string>()}});
  }
  return json::object({{"content", fallback}});
}

}  // namespace

class TokenizerLoader {
 public:
  static Tokenizer from_json(const fs::path& path) {
    json j = read_json(path);
    Tokenizer t;
    try {
      load_normalizer(j.value("normalizer", json()), t);
      load_pre_tokenizer(j.value("pre_tokenizer", json()), t);
      load_model(j.at("model"), t);
      const json added = j.value("added_tokens", json::array());
      for (const json& a : added) load_added_token(a, t);
      load_processor(j.value("post_processor", json()), t);
      load_decoder(j.value("decoder", json()), t);
      load_truncation(j.value("truncation", json()), t);
      load_padding(j.value("padding", json()), t);
    } catch (const json::exception& e) {
      throw Error(path.string() + ": " + e.what());
    } catch (const Error& e) {
      rethrow_with_context(path.string(), e);
    }
    t.source_files_ = {path};
    // The slow tokenizers' files too (sentencepiece.bpe.model: XLM-R's), so a saved
    // folder loads with the slow class as well.
    for (const char* extra : {"tokenizer_config.json", "special_tokens_map.json", "vocab.txt", "vocab.json", "merges.txt",
                              "sentencepiece.bpe.model"}) {
      if (fs::exists(path.parent_path() / extra)) t.source_files_.push_back(path.parent_path() / extra);
    }
    return t;
  }

  // vocab.txt + tokenizer_config.json (+ special_tokens_map.json), as BertTokenizerFast
  // builds itself from a slow BertTokenizer's files.
  static Tokenizer from_vocab(const fs::path& dir) {
    const fs::path vocab_path = dir / "vocab.txt", config_path = dir / "tokenizer_config.json",
                   map_path = dir / "special_tokens_map.json";
    json config = fs::exists(config_path) ? read_json(config_path) : json::object();
    json map = fs::exists(map_path) ? read_json(map_path) : json::object();
    Tokenizer t;
    try {
      // BertTokenizer's defaults; never_split has no counterpart in the fast tokenizer
      // (BertConverter drops it), so it is ignored here too. Without the basic
      // tokenizer, BertConverter turns every option but clean_text off.
      const bool basic = get_or(config, "do_basic_tokenize", true);
      const bool lower = basic && get_or(config, "do_lower_case", true);
      t.normalizer_ = BertNormalizer{true, basic && get_or(config, "tokenize_chinese_chars", true),
                                     basic && get_or(config, "strip_accents", lower), lower};
      auto special = [&](const char* key, const char* fallback) {
        return special_token(map, config, key, fallback).at("content").get<std::string>();
      };
      const std::string unk = special("unk_token", "[UNK]"), sep = special("sep_token", "[SEP]"),
                        pad = special("pad_token", "[PAD]"), cls = special("cls_token", "[CLS]"),
                        mask = special("mask_token", "[MASK]");
      std::vector<std::string> vocab = read_vocab_txt(vocab_path);
      t.model_ = WordPiece(std::move(vocab), unk, "##", 100);
      // The fast tokenizer adds added_tokens_decoder's entries (by id) and then the
      // special tokens, each normalized=false.
      load_added_tokens_decoder(config, t);
      for (const std::string& s : {pad, unk, cls, sep, mask}) {
        if (t.added_.by_content(s)) continue;
        auto id = t.model_.token_to_id(s);
        if (!id) continue;  // transformers would append it to the vocabulary; BERT vocabularies have them
        t.added_.add({s, *id, true, false, {}}, t.normalizer_);
      }
      auto id_of = [&](const std::string& token, const char* field) {
        auto id = t.token_to_id(token);
        if (!id) throw Error(std::string(field) + " \"" + token + "\" is not in vocab.txt");
        return *id;
      };
      t.processor_ = TemplateProcessor::bert(cls, id_of(cls, "cls_token"), sep, id_of(sep, "sep_token"));
      t.cls_id_ = id_of(cls, "cls_token");
      t.sep_id_ = id_of(sep, "sep_token");
      t.pad_id_ = t.token_to_id(pad).value_or(-1);
      t.decoder_ = WordPieceDecoder{"##", true};
    } catch (const json::exception& e) {
      throw Error(config_path.string() + ": " + e.what());
    } catch (const Error& e) {
      rethrow_with_context(dir.string(), e);
    }
    t.source_files_ = {vocab_path};
    for (const fs::path& p : {config_path, map_path}) {
      if (fs::exists(p)) t.source_files_.push_back(p);
    }
    return t;
  }

  // vocab.json + merges.txt (+ tokenizer_config.json, special_tokens_map.json), as
  // RobertaTokenizerFast builds itself from a slow RobertaTokenizer's files: BPE without
  // unk_token, ByteLevel pre-tokenizer and decoder, RobertaProcessing with trimmed
  // offsets, add_prefix_space from the config (default false), <mask> taking the space
  // before it (lstrip) unless the files say otherwise.
  static Tokenizer from_bpe_files(const fs::path& dir) {
    const fs::path vocab_path = dir / "vocab.json", merges_path = dir / "merges.txt",
                   config_path = dir / "tokenizer_config.json", map_path = dir / "special_tokens_map.json";
    json config = fs::exists(config_path) ? read_json(config_path) : json::object();
    json map = fs::exists(map_path) ? read_json(map_path) : json::object();
    Tokenizer t;
    try {
      t.normalizer_ = Normalizer();  // byte-level: the identity
      const bool add_prefix_space = get_or(config, "add_prefix_space", false);
      t.byte_level_ = ByteLevelPreTokenizer{add_prefix_space, true};
      json model{{"vocab", read_json(vocab_path)}, {"merges", json::array()}};
      std::istringstream merges(read_file(merges_path));
      for (std::string line; std::getline(merges, line);)
        if (!line.empty()) model["merges"].push_back(line);
      try {
        t.model_ = load_bpe(model);
      } catch (const Error& e) {
        throw Error(merges_path.string() + ": " + e.what());
      }
      load_added_tokens_decoder(config, t);
      // PreTrainedTokenizerFast then adds the special tokens, in SPECIAL_TOKENS_ATTRIBUTES' order.
      const std::pair<const char*, const char*> specials[] = {{"bos_token", "<s>"},  {"eos_token", "</s>"},
                                                              {"unk_token", "<unk>"}, {"sep_token", "</s>"},
                                                              {"pad_token", "<pad>"}, {"cls_token", "<s>"},
                                                              {"mask_token", "<mask>"}};
      for (const auto& [key, fallback] : specials) {
        json token = special_token(map, config, key, fallback);
        const std::string content = token.at("content");
        if (t.added_.by_content(content)) continue;
        auto id = t.model_.token_to_id(content);
        if (!id) throw Error(std::string(key) + " \"" + content + "\" is not in vocab.json");
        token["id"] = *id;
        token["special"] = true;
        if (std::string(key) == "mask_token" && !token.contains("lstrip")) token["lstrip"] = true;
        load_added_token(token, t);
      }
      const std::string cls = special_token(map, config, "cls_token", "<s>").at("content"),
                        sep = special_token(map, config, "sep_token", "</s>").at("content");
      t.cls_id_ = *t.token_to_id(cls);
      t.sep_id_ = *t.token_to_id(sep);
      t.processor_ = TemplateProcessor::roberta(cls, t.cls_id_, sep, t.sep_id_, true, add_prefix_space);
      t.pad_id_ = t.token_to_id(special_token(map, config, "pad_token", "<pad>").at("content").get<std::string>()).value_or(-1);
      t.decoder_ = ByteLevelDecoder{};
    } catch (const json::exception& e) {
      throw Error(dir.string() + ": " + e.what());
    } catch (const Error& e) {
      rethrow_with_context(dir.string(), e);
    }
    t.source_files_ = {vocab_path, merges_path};
    for (const fs::path& p : {config_path, map_path}) {
      if (fs::exists(p)) t.source_files_.push_back(p);
    }
    return t;
  }

 private:
  // tokenizer_config.json's added_tokens_decoder, {id: AddedToken}, added by id as the
  // fast tokenizer adds them first.
  static void load_added_tokens_decoder(const json& config, Tokenizer& t) {
    const json decoder = config.value("added_tokens_decoder", json::object());
    std::vector<std::pair<int32_t, json>> entries;
    for (const auto& [id, entry] : decoder.items()) entries.emplace_back(std::stoi(id), entry);
    std::sort(entries.begin(), entries.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    for (auto& [id, entry] : entries) {
      entry["id"] = id;
      load_added_token(entry, t);
    }
  }

  // One token per line, the line number is the id; only "\n" ends a line, as
  // transformers' load_vocab strips only "\n".
  static std::vector<std::string> read_vocab_txt(const fs::path& path) {
    std::string text = read_file(path);
    std::vector<std::string> vocab;
    size_t at = 0;
    while (at < text.size()) {
      size_t nl = text.find('\n', at);
      if (nl == std::string::npos) nl = text.size();
      vocab.emplace_back(text, at, nl - at);
      at = nl + 1;
    }
    return vocab;
  }

  static void load_normalizer(const json& n, Tokenizer& t) {
    t.normalizer_ = Normalizer();  // null (RoBERTa's, GPT-2's): the identity
    if (!n.is_null()) add_normalizer(n, "normalizer", t.normalizer_);
  }

  // Appends the steps of normalizer block `n` (found at `where`) to `out`.
  static void add_normalizer(const json& n, const std::string& where, Normalizer& out) {
    const std::string type = type_of(n);
    if (type == "BertNormalizer") {
      const bool lower = get_or(n, "lowercase", true);
      out.add(BertNormalizer{get_or(n, "clean_text", true), get_or(n, "handle_chinese_chars", true),
                             get_or(n, "strip_accents", lower), lower});
    } else if (type == "Precompiled") {
      const auto blob = decode_base64(n.at("precompiled_charsmap").get<std::string>());
      if (!blob) throw Error(where + ".precompiled_charsmap: not base64");
      try {
        out.add(PrecompiledNormalizer(*blob));
      } catch (const Error& e) {
        throw Error(where + "." + e.what());
      }
    } else if (type == "Replace") {
      try {
        out.add(load_replace(n));
      } catch (const Error& e) {
        throw Error(where + ": " + e.what());
      }
    } else if (type == "Sequence") {
      const json& steps = n.at("normalizers");
      for (size_t i = 0; i < steps.size(); ++i) {
        add_normalizer(steps[i], where + ".normalizers[" + std::to_string(i) + "]", out);
      }
    } else {
      throw Error(where + ": type " + type + " is not supported (BertNormalizer, Precompiled, Replace, Sequence or null)");
    }
  }

  // A Replace block, normalizer or decoder: {"pattern": {"String"|"Regex": ...}, "content"}.
  static ReplaceNormalizer load_replace(const json& r) {
    const json& pattern = r.at("pattern");
    std::u32string content = to_u32(r.at("content").get<std::string>());
    if (pattern.contains("String")) {
      return ReplaceNormalizer(to_u32(pattern["String"].get<std::string>()), std::move(content));
    }
    return ReplaceNormalizer::from_regex(to_u32(pattern.at("Regex").get<std::string>()), std::move(content));
  }

  // A Metaspace block, pre-tokenizer or decoder: tokenizers 0.23 reads the legacy
  // add_prefix_space=false as prepend_scheme "never" and refuses it beside another scheme
  // (prepend_scheme defaults to "always", so add_prefix_space=false alone is refused too).
  static MetaspacePreTokenizer load_metaspace(const json& p, const std::string& where) {
    MetaspacePreTokenizer m;
    const std::u32string replacement = to_u32(p.at("replacement").get<std::string>());
    if (replacement.size() != 1) throw Error(where + ".replacement: not one character");
    m.replacement = replacement[0];
    const std::string scheme = get_or<std::string>(p, "prepend_scheme", "always");
    if (scheme == "always") m.prepend = MetaspacePreTokenizer::Prepend::kAlways;
    else if (scheme == "first") m.prepend = MetaspacePreTokenizer::Prepend::kFirst;
    else if (scheme == "never") m.prepend = MetaspacePreTokenizer::Prepend::kNever;
    else throw Error(where + ".prepend_scheme: unknown value " + scheme + " (always, first, never)");
    if (!get_or(p, "add_prefix_space", true) && m.prepend != MetaspacePreTokenizer::Prepend::kNever) {
      throw Error(where + ".add_prefix_space: false does not match prepend_scheme " + scheme);
    }
    m.split = get_or(p, "split", true);
    return m;
  }

  static void load_pre_tokenizer(const json& p, Tokenizer& t) {
    const std::string type = type_of(p);
    if (type == "ByteLevel") {
      t.byte_level_ = ByteLevelPreTokenizer{get_or(p, "add_prefix_space", true), get_or(p, "use_regex", true)};
    } else if (type == "Metaspace") {
      t.metaspace_ = load_metaspace(p, "pre_tokenizer");
    } else if (type != "BertPreTokenizer") {
      throw Error("pre_tokenizer: type " + type + " is not supported (BertPreTokenizer, ByteLevel, Metaspace)");
    }
  }

  static void load_model(const json& m, Tokenizer& t) {
    // Older files omit "type"; HF then recognises the model by its fields.
    const std::string type = get_or<std::string>(
        m, "type",
        m.contains("merges")                      ? "BPE"
        : m.contains("continuing_subword_prefix") ? "WordPiece"
        : m.contains("vocab") && m["vocab"].is_array() ? "Unigram"
                                                  : "?");
    if (type == "WordPiece") {
      t.model_ = WordPiece(read_model_vocab(m), get_or<std::string>(m, "unk_token", "[UNK]"),
                           get_or<std::string>(m, "continuing_subword_prefix", "##"),
                           get_or<size_t>(m, "max_input_chars_per_word", 100));
    } else if (type == "BPE") {
      t.model_ = load_bpe(m);
    } else if (type == "Unigram") {
      t.model_ = load_unigram(m);
    } else {
      throw Error("model: type " + type + " is not supported (WordPiece, BPE, Unigram)");
    }
  }

  // model.vocab, {token: id}, as a list by id (empty strings for ids it lacks).
  static std::vector<std::string> read_model_vocab(const json& m) {
    std::vector<std::string> vocab;
    for (const auto& [token, id_json] : m.at("vocab").items()) {
      const int64_t id = id_json.get<int64_t>();
      if (id < 0 || id > 10'000'000) throw Error("model.vocab: id " + std::to_string(id) + " of \"" + token + "\" out of range");
      if (static_cast<size_t>(id) >= vocab.size()) vocab.resize(id + 1);
      vocab[id] = token;
    }
    return vocab;
  }

  static Unigram load_unigram(const json& m) {
    std::vector<std::pair<std::string, double>> vocab;
    for (const json& entry : m.at("vocab")) {
      if (!entry.is_array() || entry.size() != 2) {
        throw Error("model.vocab[" + std::to_string(vocab.size()) + "]: not a [piece, score] pair");
      }
      vocab.emplace_back(entry[0].get<std::string>(), entry[1].get<double>());
    }
    std::optional<int32_t> unk_id;
    if (auto it = m.find("unk_id"); it != m.end() && !it->is_null()) unk_id = it->get<int32_t>();
    return Unigram(std::move(vocab), unk_id, get_or(m, "byte_fallback", false));
  }

  static Bpe load_bpe(const json& m) {
    // Dropout makes tokenization random (a training-time augmentation); 0 is none, as in HF.
    if (const double dropout = get_or(m, "dropout", 0.0); dropout != 0.0) {
      throw Error("model.dropout: " + std::to_string(dropout) + " is not supported (only null)");
    }
    if (get_or(m, "byte_fallback", false)) throw Error("model.byte_fallback: true is not supported");
    // tokenizers 0.23 writes merges as [a, b] pairs, older versions as "a b" strings.
    std::vector<std::pair<std::string, std::string>> merges;
    for (const json& merge : m.at("merges")) {
      const size_t at = merges.size();
      if (merge.is_array() && merge.size() == 2) {
        merges.emplace_back(merge[0].get<std::string>(), merge[1].get<std::string>());
        continue;
      }
      const std::string line = merge.get<std::string>();
      if (line.starts_with("#version")) continue;  // a merges.txt header, skipped as HF skips it
      const size_t space = line.find(' ');
      if (space == std::string::npos || line.find(' ', space + 1) != std::string::npos) {
        throw Error("model.merges[" + std::to_string(at) + "]: \"" + line + "\" is not two tokens separated by a space");
      }
      merges.emplace_back(line.substr(0, space), line.substr(space + 1));
    }
    BpeOptions options;
    if (auto it = m.find("unk_token"); it != m.end() && !it->is_null()) options.unk_token = it->get<std::string>();
    options.continuing_subword_prefix = get_or<std::string>(m, "continuing_subword_prefix", "");
    options.end_of_word_suffix = get_or<std::string>(m, "end_of_word_suffix", "");
    options.fuse_unk = get_or(m, "fuse_unk", false);
    options.ignore_merges = get_or(m, "ignore_merges", false);
    return Bpe(read_model_vocab(m), merges, std::move(options));
  }

  static void load_added_token(const json& a, Tokenizer& t) {
    const std::string content = a.at("content").get<std::string>();
    if (get_or(a, "single_word", false)) {
      throw Error("added token \"" + content + "\": single_word=true is not supported");
    }
    t.added_.add({content, a.at("id").get<int32_t>(), get_or(a, "special", false), get_or(a, "normalized", true), {},
                  get_or(a, "lstrip", false), get_or(a, "rstrip", false)},
                 t.normalizer_);
  }

  static void load_processor(const json& p, Tokenizer& t) {
    const std::string type = type_of(p);
    if (type == "BertProcessing") {
      const std::string cls = p.at("cls").at(0), sep = p.at("sep").at(0);
      t.processor_ = TemplateProcessor::bert(cls, p.at("cls").at(1), sep, p.at("sep").at(1));
      t.cls_id_ = p.at("cls").at(1);
      t.sep_id_ = p.at("sep").at(1);
    } else if (type == "RobertaProcessing") {
      const std::string cls = p.at("cls").at(0), sep = p.at("sep").at(0);
      t.cls_id_ = p.at("cls").at(1);
      t.sep_id_ = p.at("sep").at(1);
      t.processor_ = TemplateProcessor::roberta(cls, t.cls_id_, sep, t.sep_id_, get_or(p, "trim_offsets", true),
                                                get_or(p, "add_prefix_space", true));
    } else if (type == "ByteLevel") {  // GPT-2's: no special tokens, offsets trimmed
      t.processor_ = TemplateProcessor::none();
      if (get_or(p, "trim_offsets", true)) t.processor_.set_offset_trimming(get_or(p, "add_prefix_space", true));
    } else if (type == "TemplateProcessing") {
      const json& specials = p.at("special_tokens");
      auto pieces = [&](const json& list) {
        std::vector<TemplateProcessor::Piece> out;
        for (const json& piece : list) {
          TemplateProcessor::Piece x;
          if (piece.contains("Sequence")) {
            const json& s = piece["Sequence"];
            x.is_sequence = true;
            const std::string id = s.at("id");
            if (id != "A" && id != "B") throw Error("post_processor: sequence id " + id + " is not A or B");
            x.sequence = id == "B";
            x.type_id = s.at("type_id");
          } else {
            const json& s = piece.at("SpecialToken");
            const json& special = specials.at(s.at("id").get<std::string>());
            x.ids = special.at("ids").get<std::vector<int32_t>>();
            x.tokens = special.at("tokens").get<std::vector<std::string>>();
            x.type_id = s.at("type_id");
          }
          out.push_back(std::move(x));
        }
        return out;
      };
      t.processor_ = TemplateProcessor(pieces(p.at("single")), pieces(p.at("pair")));
      // BERT's [CLS]/[SEP] for callers that need them (e.g. to build batches by hand).
      for (const char* name : {"[CLS]", "[SEP]", "<s>", "</s>"}) {
        auto it = specials.find(name);
        if (it == specials.end()) continue;
        const bool cls = std::string(name) == "[CLS]" || std::string(name) == "<s>";
        int32_t& id = cls ? t.cls_id_ : t.sep_id_;
        if (id < 0) id = it->at("ids").at(0);
      }
    } else if (type == "null") {
      t.processor_ = TemplateProcessor::none();
    } else {
      throw Error("post_processor: type " + type +
                  " is not supported (TemplateProcessing, BertProcessing, RobertaProcessing, ByteLevel)");
    }
    if (t.cls_id_ < 0) t.cls_id_ = t.token_to_id("[CLS]").value_or(-1);
    if (t.sep_id_ < 0) t.sep_id_ = t.token_to_id("[SEP]").value_or(-1);
  }

  static void load_decoder(const json& d, Tokenizer& t) {
    const std::string type = type_of(d);
    if (type == "WordPiece") {
      t.decoder_ = WordPieceDecoder{get_or<std::string>(d, "prefix", "##"), get_or(d, "cleanup", true)};
    } else if (type == "ByteLevel") {
      t.decoder_ = ByteLevelDecoder{};
    } else if (type != "null") {
      DecoderChain chain;
      add_decoder(d, "decoder", chain);
      t.decoder_ = std::move(chain);
    }
  }

  // Appends the steps of a chain decoder block `d` (found at `where`) to `out`.
  static void add_decoder(const json& d, const std::string& where, DecoderChain& out) {
    const std::string type = type_of(d);
    if (type == "Metaspace") {
      const MetaspacePreTokenizer m = load_metaspace(d, where);
      out.add(MetaspaceDecoder{m.replacement, m.prepend != MetaspacePreTokenizer::Prepend::kNever});
    } else if (type == "ByteFallback") {
      out.add(ByteFallbackDecoder{});
    } else if (type == "Fuse") {
      out.add(FuseDecoder{});
    } else if (type == "Strip") {
      const std::u32string content = to_u32(d.at("content").get<std::string>());
      if (content.size() != 1) throw Error(where + ".content: not one character");
      out.add(StripDecoder{content[0], d.at("start").get<size_t>(), d.at("stop").get<size_t>()});
    } else if (type == "Replace") {
      try {
        out.add(load_replace(d));
      } catch (const Error& e) {
        throw Error(where + ": " + e.what());
      }
    } else if (type == "Sequence") {
      const json& steps = d.at("decoders");
      for (size_t i = 0; i < steps.size(); ++i) {
        add_decoder(steps[i], where + ".decoders[" + std::to_string(i) + "]", out);
      }
    } else {
      throw Error(where + ": type " + type +
                  " is not supported (WordPiece, ByteLevel, Metaspace, ByteFallback, Fuse, Strip, Replace, Sequence)");
    }
  }

  static void load_truncation(const json& tr, Tokenizer& t) {
    if (tr.is_null()) return;
    TruncationParams p;
    p.max_length = tr.at("max_length");
    const std::string strategy = get_or<std::string>(tr, "strategy", "LongestFirst");
    if (strategy == "LongestFirst") p.strategy = TruncationStrategy::kLongestFirst;
    else if (strategy == "OnlyFirst") p.strategy = TruncationStrategy::kOnlyFirst;
    else if (strategy == "OnlySecond") p.strategy = TruncationStrategy::kOnlySecond;
    else throw Error("truncation.strategy: unknown value " + strategy);
    p.from_left = get_or<std::string>(tr, "direction", "Right") == "Left";
    t.truncation_ = p;
  }

  static void load_padding(const json& pd, Tokenizer& t) {
    if (pd.is_null()) {  // BERT's or RoBERTa's pad token, for callers that pad by hand
      t.pad_id_ = t.token_to_id("[PAD]").value_or(t.token_to_id("<pad>").value_or(-1));
      return;
    }
    PaddingParams p;
    const json& strategy = pd.at("strategy");
    if (strategy.is_object()) p.fixed_length = strategy.at("Fixed").get<size_t>();
    else if (strategy != "BatchLongest") throw Error("padding.strategy: unknown value " + strategy.dump());
    p.pad_left = get_or<std::string>(pd, "direction", "Right") == "Left";
    p.pad_to_multiple_of = get_or<size_t>(pd, "pad_to_multiple_of", 0);
    p.pad_id = get_or(pd, "pad_id", 0);
    p.pad_type_id = get_or(pd, "pad_type_id", 0);
    p.pad_token = get_or<std::string>(pd, "pad_token", "[PAD]");
    t.pad_id_ = p.pad_id;
    t.padding_ = p;
  }
};

Tokenizer Tokenizer::from_tokenizer_json(const fs::path& file) {
  return TokenizerLoader::from_json(file);
}

Tokenizer Tokenizer::from_directory(const fs::path& dir) {
  if (fs::exists(dir / "tokenizer.json")) return TokenizerLoader::from_json(dir / "tokenizer.json");
  if (fs::exists(dir / "vocab.txt")) return TokenizerLoader::from_vocab(dir);
  if (fs::exists(dir / "vocab.json") && fs::exists(dir / "merges.txt")) return TokenizerLoader::from_bpe_files(dir);
  throw Error(dir.string() + ": no tokenizer.json, vocab.txt, or vocab.json with merges.txt");
}

void Tokenizer::save_to_directory(const fs::path& dir) const {
  fs::create_directories(dir);
  for (const fs::path& src : source_files_) {
    const fs::path dst = dir / src.filename();
    if (fs::exists(dst) && fs::equivalent(src, dst)) continue;
    const fs::path tmp = dir / (src.filename().string() + ".tmp");
    std::error_code ec;
    fs::copy_file(src, tmp, fs::copy_options::overwrite_existing, ec);
    if (ec) throw Error(tmp.string() + ": cannot write: " + ec.message());
    fs::rename(tmp, dst, ec);
    if (ec) throw Error(dst.string() + ": cannot write: " + ec.message());
  }
}

}  // namespace bertcls::text
