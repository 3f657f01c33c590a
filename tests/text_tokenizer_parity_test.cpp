// Id parity with Hugging Face's tokenizers (Rust crate, npm binding 0.23.2) on the goldens
// tools/tokenizer-goldens/make-goldens.js wrote: all 8,065 RuTweetCorp texts, every code
// point, and the adversarial cases, for the WordPiece tokenizers (two loaded from
// tokenizer.json, two from vocab.txt the way BertConverter converts them) and byte-level
// BPE (GPT-2's vocabulary in RoBERTa's layout, merges as pairs and as strings, with and
// without add_prefix_space, with GPT-2's ByteLevel post-processor, and with its other
// options turned) and SentencePiece Unigram (an XLM-R-layout tokenizer.json: Precompiled
// nmt_nfkc charsmap, Replace, Metaspace; as it is, with its options turned, and with
// byte_fallback).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <bertcls/error.h>
#include "text/tokenizer.h"
#include "common/utf8.h"

namespace bertcls::text {
namespace {

namespace fs = std::filesystem;
const fs::path kFixtures = fs::path(BERTCLS_FIXTURES) / "tokenizers";

std::vector<std::string> read_lines(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  EXPECT_TRUE(f.good()) << p;
  std::vector<std::string> lines;
  for (std::string line; std::getline(f, line);) lines.push_back(line);
  return lines;
}

// The same key and hash as make-goldens.js: ids, type ids, offsets, special-token mask
// and attention mask, FNV-1a 64 over their comma/bar-separated text.
std::string golden_line(const Encoding& e) {
  std::string key;
  auto add = [&](const auto& values, auto&& value_text) {
    if (!key.empty()) key += '|';
    for (size_t i = 0; i < values.size(); ++i) key += (i ? "," : "") + value_text(values[i]);
  };
  auto num = [](int32_t v) { return std::to_string(v); };
  add(e.ids, num);
  add(e.type_ids, num);
  add(e.offsets, [](const std::pair<int32_t, int32_t>& o) { return std::to_string(o.first) + "," + std::to_string(o.second); });
  add(e.special_tokens_mask, num);
  add(e.attention_mask, num);
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : key) h = (h ^ c) * 0x100000001b3ULL;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return std::to_string(e.size()) + " " + hex;
}

std::string ids_text(const Encoding& e) {
  std::string s;
  for (int32_t id : e.ids) s += std::to_string(id) + " ";
  return s;
}

// A folder with mBERT's vocab.txt and a tokenizer_config.json saying do_lower_case.
fs::path mbert_dir(bool lowercase) {
  if (!lowercase) return kFixtures / "bert-base-multilingual-cased";
  fs::path dir = fs::temp_directory_path() / ("bertcls_mbert_uncased_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::copy_file(kFixtures / "bert-base-multilingual-cased/vocab.txt", dir / "vocab.txt",
                fs::copy_options::overwrite_existing);
  std::ofstream(dir / "tokenizer_config.json") << R"({"do_lower_case": true})";
  return dir;
}

// The same model folder with its tokenizer.json left out, so the slow files are used.
fs::path without_tokenizer_json(const fs::path& src, const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("bertcls_slow_" + name + "_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  for (const char* f : {"vocab.txt", "tokenizer_config.json", "special_tokens_map.json"}) {
    if (fs::exists(src / f)) fs::copy_file(src / f, dir / f, fs::copy_options::overwrite_existing);
  }
  return dir;
}

// A folder holding `src`'s tokenizer.json changed by `edit`, as make-goldens.js changes it.
fs::path edited_tokenizer(const fs::path& src, const std::string& name, const std::function<void(nlohmann::json&)>& edit) {
  std::ifstream in(src / "tokenizer.json");
  auto j = nlohmann::json::parse(in);
  edit(j);
  fs::path dir = fs::temp_directory_path() / ("bertcls_" + name + "_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "tokenizer.json") << j.dump();
  return dir;
}

// bert-base-uncased plus the two added tokens make-goldens.js gives it: "Hello World"
// matched on the normalized text, "<ent>" on the raw text.
fs::path bert_with_added_tokens() {
  return edited_tokenizer(kFixtures / "bert-base-uncased", "added", [](nlohmann::json& j) {
    for (auto [id, content, normalized] : {std::tuple{30522, "Hello World", true}, std::tuple{30523, "<ent>", false}}) {
      j["added_tokens"].push_back({{"id", id}, {"content", content}, {"single_word", false}, {"lstrip", false},
                                   {"rstrip", false}, {"normalized", normalized}, {"special", false}});
    }
  });
}

const fs::path kRoberta = kFixtures / "roberta-gpt2";

// The RoBERTa layout with add_prefix_space in the pre-tokenizer and the post-processor.
fs::path roberta_with_prefix_space() {
  return edited_tokenizer(kRoberta, "roberta_prefix", [](nlohmann::json& j) {
    j["pre_tokenizer"]["add_prefix_space"] = true;
    j["post_processor"]["add_prefix_space"] = true;
  });
}

// The RoBERTa layout with GPT-2's post-processor: ByteLevel, no special tokens, offsets trimmed.
fs::path roberta_with_byte_level_post_processor() {
  return edited_tokenizer(kRoberta, "roberta_bytelevel_post", [](nlohmann::json& j) {
    j["post_processor"] = {{"type", "ByteLevel"}, {"add_prefix_space", true}, {"trim_offsets", true}, {"use_regex", true}};
  });
}

// The RoBERTa layout with the other options turned: no regex split, no offset trimming,
// lstrip and rstrip on every added token.
fs::path roberta_with_options_turned() {
  return edited_tokenizer(kRoberta, "roberta_options", [](nlohmann::json& j) {
    j["pre_tokenizer"]["use_regex"] = false;
    j["post_processor"]["trim_offsets"] = false;
    for (auto& a : j["added_tokens"]) a["lstrip"] = a["rstrip"] = true;
  });
}

// The RoBERTa layout with its merges as "a b" strings, as tokenizers before 0.20 wrote them.
fs::path roberta_with_string_merges() {
  return edited_tokenizer(kRoberta, "roberta_string_merges", [](nlohmann::json& j) {
    for (auto& merge : j["model"]["merges"]) merge = merge[0].get<std::string>() + " " + merge[1].get<std::string>();
  });
}

// The XLM-R layout with its options turned, as make-goldens.js turns them: Metaspace with
// prepend_scheme "first" and no split, a decoder with "never", a literal Replace, every
// added token normalized.
fs::path xlmr_with_options_turned() {
  return edited_tokenizer(kFixtures / "xlmr-unigram", "xlmr_options", [](nlohmann::json& j) {
    j["pre_tokenizer"] = {{"type", "Metaspace"}, {"replacement", "\u2581"}, {"prepend_scheme", "first"}, {"split", false}};
    j["decoder"]["prepend_scheme"] = "never";
    j["normalizer"]["normalizers"][1] = {{"type", "Replace"}, {"pattern", {{"String", "  "}}}, {"content", " "}};
    for (auto& a : j["added_tokens"]) a["normalized"] = true;
  });
}

// The XLM-R layout with byte_fallback, as make-goldens.js builds it: the 256 <0xXX>
// pieces appended (score 0) and Llama's decoder chain.
fs::path xlmr_with_byte_fallback() {
  return edited_tokenizer(kFixtures / "xlmr-unigram", "xlmr_bytes", [](nlohmann::json& j) {
    j["model"]["byte_fallback"] = true;
    for (int b = 0; b < 256; ++b) {
      char name[8];
      std::snprintf(name, sizeof name, "<0x%02X>", b);
      j["model"]["vocab"].push_back({name, 0});
    }
    j["decoder"] = {{"type", "Sequence"},
                    {"decoders",
                     {{{"type", "Replace"}, {"pattern", {{"String", "\u2581"}}}, {"content", " "}},
                      {{"type", "ByteFallback"}},
                      {{"type", "Fuse"}},
                      {{"type", "Strip"}, {"content", " "}, {"start", 1}, {"stop", 0}}}}};
  });
}

struct Case {
  std::string name;    // test name
  std::string golden;  // goldens/<golden>.*
  fs::path dir;        // what from_directory loads
};

Case make_case(const std::string& name) {
  const fs::path rubert = fs::path(BERTCLS_SOURCE_DIR) / "data/rubert-tiny2";
  if (name == "rubert_tiny2") return {name, "rubert-tiny2", rubert};
  if (name == "bert_base_uncased") return {name, "bert-base-uncased", kFixtures / "bert-base-uncased"};
  if (name == "mbert_cased_vocab_txt") return {name, "mbert-cased", mbert_dir(false)};
  if (name == "mbert_uncased_vocab_txt") return {name, "mbert-uncased", mbert_dir(true)};
  if (name == "bert_base_uncased_added") return {name, "bert-base-uncased-added", bert_with_added_tokens()};
  if (name == "rubert_tiny2_vocab_txt") return {name, "rubert-tiny2", without_tokenizer_json(rubert, name)};
  if (name == "roberta_gpt2") return {name, "roberta-gpt2", kRoberta};
  if (name == "roberta_gpt2_prefix") return {name, "roberta-gpt2-prefix", roberta_with_prefix_space()};
  if (name == "roberta_gpt2_string_merges") return {name, "roberta-gpt2", roberta_with_string_merges()};
  if (name == "roberta_gpt2_options") return {name, "roberta-gpt2-options", roberta_with_options_turned()};
  if (name == "xlmr_unigram") return {name, "xlmr-unigram", kFixtures / "xlmr-unigram"};
  if (name == "xlmr_unigram_options") return {name, "xlmr-unigram-options", xlmr_with_options_turned()};
  if (name == "xlmr_unigram_bytefallback") return {name, "xlmr-unigram-bytefallback", xlmr_with_byte_fallback()};
  if (name == "roberta_gpt2_bytelevel_post") {
    return {name, "roberta-gpt2-bytelevel-post", roberta_with_byte_level_post_processor()};
  }
  return {name, "bert-base-uncased", without_tokenizer_json(kFixtures / "bert-base-uncased", name)};
}

class TokenizerParity : public ::testing::TestWithParam<std::string> {};

// Compares one golden line per input and reports the first few differences in full.
template <typename EncodeFn>
void expect_lines(const std::vector<std::string>& golden, size_t n, EncodeFn encode,
                  const std::vector<std::string>* texts = nullptr) {
  ASSERT_EQ(golden.size(), n);
  size_t mismatches = 0;
  for (size_t i = 0; i < n; ++i) {
    if (golden[i] == "-") continue;
    Encoding e = encode(i);
    if (golden_line(e) == golden[i]) continue;
    if (++mismatches <= 5) {
      ADD_FAILURE() << "input " << i << (texts ? " \"" + (*texts)[i] + "\"" : "") << ": got "
                    << golden_line(e) << " ids " << ids_text(e) << "; HF " << golden[i];
    }
  }
  EXPECT_EQ(mismatches, 0u) << "of " << n;
}

TEST_P(TokenizerParity, MatchesHuggingFaceOnEveryRuTweetCorpText) {
  const Case c = make_case(GetParam());
  const Tokenizer tok = Tokenizer::from_directory(c.dir);
  const auto texts = read_lines(kFixtures / "rutweetcorp.txt");
  ASSERT_EQ(texts.size(), 8065u);
  const auto golden = read_lines(kFixtures / "goldens" / (c.golden + ".corpus.txt"));
  expect_lines(golden, texts.size(), [&](size_t i) { return tok.encode(texts[i]); }, &texts);
}

INSTANTIATE_TEST_SUITE_P(Tokenizers, TokenizerParity,
                         ::testing::Values("rubert_tiny2", "bert_base_uncased", "mbert_cased_vocab_txt",
                                           "mbert_uncased_vocab_txt", "rubert_tiny2_vocab_txt",
                                           "bert_base_uncased_vocab_txt", "roberta_gpt2", "roberta_gpt2_string_merges",
                                           "xlmr_unigram", "xlmr_unigram_bytefallback"),
                         [](const auto& info) { return info.param; });

// One tokenizer per normalizer setting (cased, lowercasing with and without loading
// from vocab.txt) and byte-level BPE; the corpus test above already shows both loaders
// build the same.
class CodePointParity : public ::testing::TestWithParam<std::string> {};

TEST_P(CodePointParity, MatchesHuggingFaceOnEveryCodePoint) {
  const Case c = make_case(GetParam());
  Tokenizer tok = Tokenizer::from_directory(c.dir);
  tok.set_truncation(std::nullopt);
  tok.set_padding(std::nullopt);
  const auto golden = read_lines(kFixtures / "goldens" / (c.golden + ".codepoints.txt"));
  // Block b: the words "a<c>a" for its 256 code points, space-separated.
  expect_lines(golden, 0x110000 / 256, [&](size_t block) {
    std::string text;
    for (char32_t cp = block * 256; cp < block * 256 + 256; ++cp) {
      if (!text.empty()) text += ' ';
      text += 'a';
      append_utf8(cp, text);
      text += 'a';
    }
    return tok.encode(text);
  });
}

INSTANTIATE_TEST_SUITE_P(Tokenizers, CodePointParity,
                         ::testing::Values("rubert_tiny2", "bert_base_uncased", "mbert_cased_vocab_txt",
                                           "mbert_uncased_vocab_txt", "roberta_gpt2", "xlmr_unigram",
                                           "xlmr_unigram_bytefallback"),
                         [](const auto& info) { return info.param; });

class AdversarialParity : public ::testing::TestWithParam<std::string> {};

TEST_P(AdversarialParity, MatchesHuggingFaceOnEveryAdversarialCase) {
  const Case c = make_case(GetParam());
  const Tokenizer base = Tokenizer::from_directory(c.dir);
  const auto inputs = read_lines(kFixtures / "adversarial.jsonl");
  const auto golden = read_lines(kFixtures / "goldens" / (c.golden + ".adversarial.jsonl"));
  ASSERT_EQ(inputs.size(), golden.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    const auto in = nlohmann::json::parse(inputs[i]);
    const auto want = nlohmann::json::parse(golden[i]);
    SCOPED_TRACE("case " + std::to_string(i) + ": " + inputs[i].substr(0, 200));
    Tokenizer tok = base;
    if (in.contains("truncation")) {
      const auto& t = in["truncation"];
      TruncationParams p;
      p.max_length = t["max_length"];
      const std::string s = t.value("strategy", "LongestFirst");
      p.strategy = s == "OnlyFirst"    ? TruncationStrategy::kOnlyFirst
                   : s == "OnlySecond" ? TruncationStrategy::kOnlySecond
                                       : TruncationStrategy::kLongestFirst;
      p.from_left = t.value("direction", "Right") == "Left";
      tok.set_truncation(p);
    }
    if (in.contains("padding")) {
      const auto& pd = in["padding"];
      PaddingParams p;
      if (pd.contains("length")) p.fixed_length = pd["length"].get<size_t>();
      p.pad_to_multiple_of = pd.value("pad_to_multiple_of", 0);
      p.pad_left = pd.value("direction", "Right") == "Left";
      p.pad_id = tok.pad_id();  // [PAD] or <pad>, as make-goldens.js picks
      p.pad_token = tok.id_to_token(p.pad_id);
      tok.set_padding(p);
    }
    const bool special = in.value("add_special_tokens", true);
    auto encode = [&] {
      return in.contains("pair") ? tok.encode_pair(in["text"].get<std::string>(), in["pair"].get<std::string>(), special)
                                 : tok.encode(in["text"].get<std::string>(), special);
    };
    if (want.contains("error")) {
      EXPECT_THROW(encode(), Error) << want["error"];
      continue;
    }
    const Encoding e = encode();
    EXPECT_EQ(e.ids, want["ids"].get<std::vector<int32_t>>());
    EXPECT_EQ(e.type_ids, want["type_ids"].get<std::vector<int32_t>>());
    EXPECT_EQ(e.tokens, want["tokens"].get<std::vector<std::string>>());
    EXPECT_EQ(e.offsets, (want["offsets"].get<std::vector<std::pair<int32_t, int32_t>>>()));
    EXPECT_EQ(e.special_tokens_mask, want["special_tokens_mask"].get<std::vector<int32_t>>());
    EXPECT_EQ(e.attention_mask, want["attention_mask"].get<std::vector<int32_t>>());
    EXPECT_EQ(tok.decode(e.ids, true), want["decoded"].get<std::string>());
    EXPECT_EQ(tok.decode(e.ids, false), want["decoded_with_special"].get<std::string>());
  }
}

INSTANTIATE_TEST_SUITE_P(Tokenizers, AdversarialParity,
                         ::testing::Values("rubert_tiny2", "bert_base_uncased", "mbert_cased_vocab_txt",
                                           "mbert_uncased_vocab_txt", "bert_base_uncased_added", "roberta_gpt2",
                                           "roberta_gpt2_prefix", "roberta_gpt2_bytelevel_post",
                                           "roberta_gpt2_options", "xlmr_unigram", "xlmr_unigram_options",
                                           "xlmr_unigram_bytefallback"),
                         [](const auto& info) { return info.param; });

class CorpusPairParity : public ::testing::TestWithParam<std::string> {};

TEST_P(CorpusPairParity, MatchesHuggingFaceOnRuTweetCorpPairsTruncatedTo40) {
  const Case c = make_case(GetParam());
  Tokenizer tok = Tokenizer::from_directory(c.dir);
  tok.set_truncation(TruncationParams{40, TruncationStrategy::kLongestFirst, false});
  const auto texts = read_lines(kFixtures / "rutweetcorp.txt");
  const auto golden = read_lines(kFixtures / "goldens" / (c.golden + ".corpus-pairs.txt"));
  expect_lines(golden, texts.size() / 2, [&](size_t i) { return tok.encode_pair(texts[2 * i], texts[2 * i + 1]); });
}

INSTANTIATE_TEST_SUITE_P(Tokenizers, CorpusPairParity, ::testing::Values("rubert_tiny2", "roberta_gpt2", "xlmr_unigram"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace bertcls::text
