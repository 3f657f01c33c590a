// The Tokenizer API as callers use it: loading, refusing what it cannot reproduce, bad
// UTF-8, batches, padding, special ids, saving. Id parity with HF is
// text_tokenizer_parity_test.cpp's job.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include <bertcls/error.h>
#include "text/tokenizer.h"
#include "common/utf8.h"

namespace bertcls::text {
namespace {

namespace fs = std::filesystem;
const fs::path kRubert = fs::path(BERTCLS_SOURCE_DIR) / "data/rubert-tiny2";
const fs::path kBertUncased = fs::path(BERTCLS_FIXTURES) / "tokenizers/bert-base-uncased";

fs::path temp_dir(const std::string& name) {
  fs::path d = fs::temp_directory_path() / ("bertcls_tok_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

// bert-base-uncased's tokenizer.json with one block replaced.
fs::path with_block(const std::string& key, const nlohmann::json& value) {
  std::ifstream in(kBertUncased / "tokenizer.json");
  nlohmann::json j = nlohmann::json::parse(in);
  j[key] = value;
  fs::path d = temp_dir("block_" + key);
  std::ofstream(d / "tokenizer.json") << j.dump();
  return d;
}

std::string error_of(const fs::path& dir) {
  try {
    Tokenizer::from_directory(dir);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(Tokenizer, EncodesWithSpecialTokensOffsetsAndTypeIds) {
  const auto tok = Tokenizer::from_directory(kRubert);
  Encoding e = tok.encode("Привет, мир!");
  EXPECT_EQ(e.ids, (std::vector<int32_t>{2, 51343, 16, 9311, 5, 3}));
  EXPECT_EQ(e.tokens, (std::vector<std::string>{"[CLS]", "Привет", ",", "мир", "!", "[SEP]"}));
  EXPECT_EQ(e.offsets, (std::vector<std::pair<int32_t, int32_t>>{{0, 0}, {0, 6}, {6, 7}, {8, 11}, {11, 12}, {0, 0}}));
  EXPECT_EQ(e.special_tokens_mask, (std::vector<int32_t>{1, 0, 0, 0, 0, 1}));
  Encoding p = tok.encode_pair("да", "нет");
  EXPECT_EQ(p.type_ids, (std::vector<int32_t>{0, 0, 0, 1, 1}));
  EXPECT_EQ(tok.decode(e.ids), "Привет, мир!");
}

TEST(Tokenizer, KnowsItsSpecialIdsAndVocabulary) {
  const auto tok = Tokenizer::from_directory(kRubert);
  EXPECT_EQ(tok.cls_id(), 2);
  EXPECT_EQ(tok.sep_id(), 3);
  EXPECT_EQ(tok.pad_id(), 0);
  EXPECT_EQ(tok.unk_id(), 1);
  EXPECT_EQ(tok.vocab_size(), 83828);
  EXPECT_EQ(tok.token_to_id("мир"), 9311);
  EXPECT_EQ(tok.token_to_id("no-such-token"), std::nullopt);
  EXPECT_EQ(tok.id_to_token(9311), "мир");
  EXPECT_THROW(tok.id_to_token(83828), Error);
}

TEST(Tokenizer, RefusesComponentsItDoesNotImplementAndNamesThem) {
  EXPECT_NE(error_of(with_block("normalizer", {{"type", "NFKC"}})).find("normalizer: type NFKC"), std::string::npos);
  EXPECT_NE(error_of(with_block("pre_tokenizer", {{"type", "Whitespace"}})).find("pre_tokenizer: type Whitespace"),
            std::string::npos);
  EXPECT_NE(error_of(with_block("model", {{"type", "WordLevel"}, {"vocab", nlohmann::json::object()}}))
                .find("model: type WordLevel is not supported (WordPiece, BPE, Unigram)"),
            std::string::npos);
  EXPECT_NE(error_of(with_block("decoder", {{"type", "CTC"}})).find("decoder: type CTC"), std::string::npos);
  EXPECT_NE(error_of(with_block("post_processor", {{"type", "Sequence"}})).find("post_processor: type Sequence"),
            std::string::npos);
  nlohmann::json single_word = {{{"id", 103}, {"content", "[MASK]"}, {"single_word", true}, {"special", true}}};
  EXPECT_NE(error_of(with_block("added_tokens", single_word)).find("single_word"), std::string::npos);
  EXPECT_NE(error_of(temp_dir("empty")).find("no tokenizer.json, vocab.txt, or vocab.json with merges.txt"), std::string::npos);
}

TEST(Tokenizer, AcceptsBertProcessingAsTheBertTemplate) {
  const fs::path dir = with_block("post_processor", {{"type", "BertProcessing"}, {"sep", {"[SEP]", 102}}, {"cls", {"[CLS]", 101}}});
  const auto a = Tokenizer::from_directory(dir), b = Tokenizer::from_directory(kBertUncased);
  EXPECT_EQ(a.encode_pair("hello there", "general kenobi").ids, b.encode_pair("hello there", "general kenobi").ids);
  EXPECT_EQ(a.encode_pair("hello there", "general kenobi").type_ids,
            b.encode_pair("hello there", "general kenobi").type_ids);
}

TEST(Tokenizer, InvalidUtf8IsAnErrorNamingTheByteUnlessReplacementIsAsked) {
  auto tok = Tokenizer::from_directory(kRubert);
  try {
    tok.encode("ok \xff");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("invalid UTF-8 at byte 3"), std::string::npos) << e.what();
  }
  tok.set_invalid_utf8(InvalidUtf8Policy::kReplace);
  // U+FFFD is what clean_text removes, so the bad byte vanishes; offsets still count it.
  Encoding e = tok.encode("\xff" "мир");
  EXPECT_EQ(e.ids, (std::vector<int32_t>{2, 9311, 3}));
  EXPECT_EQ(e.offsets[1], (std::pair<int32_t, int32_t>{1, 4}));
}

TEST(Utf8, ReplacesEachMaximalInvalidSubsequenceLikePython) {
  auto decode = [](std::string_view s) {
    std::vector<char32_t> out;
    decode_utf8(s, out, InvalidUtf8Policy::kReplace);
    return out;
  };
  EXPECT_EQ(decode("\xE2\x82" "a"), (std::vector<char32_t>{0xFFFD, 'a'}));        // truncated sequence: one
  EXPECT_EQ(decode("\xC0\xAF"), (std::vector<char32_t>{0xFFFD, 0xFFFD}));         // overlong: each byte
  EXPECT_EQ(decode("\xED\xA0\x80"), (std::vector<char32_t>{0xFFFD, 0xFFFD, 0xFFFD}));  // surrogate
  EXPECT_EQ(decode("\xF4\x90\x80\x80"), (std::vector<char32_t>(4, 0xFFFD)));      // past U+10FFFF
  EXPECT_EQ(decode("\xF0\x9F\x98\x80"), (std::vector<char32_t>{0x1F600}));
  std::vector<char32_t> out;
  EXPECT_THROW(decode_utf8("ab\x80", out, InvalidUtf8Policy::kError), Error);
}

TEST(Tokenizer, BatchEqualsOneByOneAndPadsToTheLongest) {
  auto tok = Tokenizer::from_directory(kRubert);  // its tokenizer.json pads BatchLongest
  const std::vector<std::string> texts = {"короткий", "этот текст намного длиннее всех остальных текстов пакета", "", "ёжик в тумане"};
  const auto batch = tok.encode_batch(texts);
  ASSERT_EQ(batch.size(), texts.size());
  const size_t longest = tok.encode(texts[1]).size();
  for (size_t i = 0; i < texts.size(); ++i) {
    const Encoding one = tok.encode(texts[i]);
    ASSERT_EQ(batch[i].size(), longest);
    EXPECT_TRUE(std::equal(one.ids.begin(), one.ids.end(), batch[i].ids.begin()));
    EXPECT_EQ(std::count(batch[i].attention_mask.begin(), batch[i].attention_mask.end(), 1),
              static_cast<std::ptrdiff_t>(one.size()));
    EXPECT_EQ(batch[i].ids.back(), i == 1 ? tok.sep_id() : tok.pad_id());
  }
  tok.set_padding(std::nullopt);
  EXPECT_EQ(tok.encode_batch(texts)[0].size(), tok.encode(texts[0]).size());
}

TEST(Tokenizer, TruncationTooShortForTheSpecialTokensIsAnError) {
  auto tok = Tokenizer::from_directory(kRubert);
  tok.set_truncation(TruncationParams{2, TruncationStrategy::kLongestFirst, false});
  EXPECT_THROW(tok.encode_pair("a", "b"), Error);  // the pair template adds 3
  EXPECT_EQ(tok.encode("a b c").size(), 2u);
}

TEST(Tokenizer, SavesItsSourceFilesAndLoadsBackTheSame) {
  for (const fs::path& src : {kRubert, kBertUncased}) {
    const auto tok = Tokenizer::from_directory(src);
    const fs::path out = temp_dir("save_" + src.filename().string());
    tok.save_to_directory(out);
    EXPECT_TRUE(fs::exists(out / "tokenizer.json"));
    EXPECT_TRUE(fs::exists(out / "vocab.txt"));
    EXPECT_TRUE(fs::exists(out / "tokenizer_config.json"));
    for (const auto& entry : fs::directory_iterator(out)) EXPECT_NE(entry.path().extension(), ".tmp");
    const auto back = Tokenizer::from_directory(out);
    EXPECT_EQ(back.encode("Hello, Мир! [SEP] x").ids, tok.encode("Hello, Мир! [SEP] x").ids);
    tok.save_to_directory(out);  // overwriting is fine
  }
}

}  // namespace
}  // namespace bertcls::text
