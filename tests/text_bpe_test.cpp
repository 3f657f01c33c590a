// The pieces of byte-level BPE on their own: GPT-2's regex split, the byte alphabet, the
// order of merges, offset trimming, the decoder, lstrip/rstrip added tokens, and what the
// loader refuses. Parity with HF on whole texts is text_tokenizer_parity_test.cpp's job.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <bertcls/error.h>
#include "common/utf8.h"
#include "text/added_vocabulary.h"
#include "text/bpe.h"
#include "text/byte_level_alphabet.h"
#include "text/byte_level_decoder.h"
#include "text/byte_level_offsets.h"
#include "text/gpt2_split.h"
#include "text/tokenizer.h"

namespace bertcls::text {
namespace {

namespace fs = std::filesystem;
using Offsets = std::vector<std::pair<int32_t, int32_t>>;
const fs::path kRoberta = fs::path(BERTCLS_FIXTURES) / "tokenizers/roberta-gpt2";

std::vector<char32_t> chars_of(const std::string& s) {
  std::vector<char32_t> out;
  decode_utf8(s, out, InvalidUtf8Policy::kError);
  return out;
}

std::string utf8_of(const std::vector<char32_t>& chars) {
  std::string out;
  for (char32_t c : chars) append_utf8(c, out);
  return out;
}

// The pieces gpt2_split cuts `text` into, as UTF-8 strings.
std::vector<std::string> split(const std::string& text) {
  const auto chars = chars_of(text);
  std::vector<CharSpan> spans;
  gpt2_split(chars.data(), chars.size(), spans);
  std::vector<std::string> out;
  for (CharSpan s : spans) out.push_back(utf8_of({chars.begin() + s.begin, chars.begin() + s.end}));
  return out;
}

using Pieces = std::vector<std::string>;

TEST(Gpt2Split, LettersNumbersAndOtherRunsTakeOneSpaceBeforeThem) {
  EXPECT_EQ(split("Hello world"), (Pieces{"Hello", " world"}));
  EXPECT_EQ(split("abc123def 45 !?x"), (Pieces{"abc", "123", "def", " 45", " !?", "x"}));
  EXPECT_EQ(split("Привет, мир! 😀👍🏽"), (Pieces{"Привет", ",", " мир", "!", " 😀👍🏽"}));
  // A combining mark is not \p{L}: it joins the "other" run.
  EXPECT_EQ(split("e\u0301t\u00e9"), (Pieces{"e", "\u0301", "t\u00e9"}));
}

TEST(Gpt2Split, ContractionsAreLowercaseOnly) {
  EXPECT_EQ(split("I'm don't we've you're he'll she'd it's"),
            (Pieces{"I", "'m", " don", "'t", " we", "'ve", " you", "'re", " he", "'ll", " she", "'d", " it", "'s"}));
  EXPECT_EQ(split("I'M 'S"), (Pieces{"I", "'", "M", " '", "S"}));
  EXPECT_EQ(split("''s"), (Pieces{"''", "s"}));  // the "other" run takes both quotes first
}

TEST(Gpt2Split, WhitespaceRunsLeaveTheirLastSpaceToTheNextWordUnlessAtTheEnd) {
  EXPECT_EQ(split("a   b"), (Pieces{"a", "  ", " b"}));
  EXPECT_EQ(split("a\t\tb"), (Pieces{"a", "\t", "\t", "b"}));
  EXPECT_EQ(split("a\n\n c"), (Pieces{"a", "\n\n", " c"}));
  EXPECT_EQ(split("end   "), (Pieces{"end", "   "}));
  EXPECT_EQ(split(" "), (Pieces{" "}));
  EXPECT_EQ(split("  1"), (Pieces{" ", " 1"}));
  EXPECT_EQ(split(""), Pieces{});
}

TEST(ByteLevelAlphabet, EveryByteIsOneDistinctCharacterAndComesBack) {
  std::set<char32_t> seen;
  for (int b = 0; b < 256; ++b) {
    const char32_t c = byte_to_char(static_cast<uint8_t>(b));
    EXPECT_TRUE(seen.insert(c).second) << b;
    EXPECT_EQ(char_to_byte(c), static_cast<uint8_t>(b));
  }
  EXPECT_EQ(byte_to_char(' '), U'\u0120');   // Ġ
  EXPECT_EQ(byte_to_char('\n'), U'\u010A');  // Ċ
  EXPECT_EQ(byte_to_char('a'), U'a');
  EXPECT_EQ(byte_to_char(0xAD), U'\u0143');  // the soft hyphen is not printable: Ń
  EXPECT_EQ(char_to_byte(U'\u0144'), std::nullopt);
  EXPECT_EQ(char_to_byte(U'ж'), std::nullopt);
}

NormalizedText normalized(const std::string& s) {
  NormalizedText t;
  const auto chars = chars_of(s);
  for (size_t i = 0; i < chars.size(); ++i) t.push(chars[i], static_cast<int32_t>(i));
  return t;
}

Encoding bpe_encode(const Bpe& bpe, const std::string& word) {
  const NormalizedText t = normalized(word);
  Encoding e;
  bpe.tokenize(t, {0, static_cast<int32_t>(t.size())}, 0, e);
  return e;
}

using Tokens = std::vector<std::string>;

TEST(Bpe, MergesLowestRankFirstThenLeftmost) {
  const std::vector<std::string> vocab = {"a", "b", "c", "ab", "bc", "abc", "aa", "aaa"};
  // "b c" outranks "a b": a + bc, then "a bc".
  Bpe bc_first(vocab, {{"b", "c"}, {"a", "b"}, {"a", "bc"}}, {});
  EXPECT_EQ(bpe_encode(bc_first, "abc").tokens, (Tokens{"abc"}));
  Bpe ab_first(vocab, {{"a", "b"}, {"b", "c"}}, {});
  EXPECT_EQ(bpe_encode(ab_first, "abc").tokens, (Tokens{"ab", "c"}));
  // Equal ranks: the leftmost pair merges first, so "aaa" is "aa" + "a", never "a" + "aa".
  Bpe a(vocab, {{"a", "a"}}, {});
  const Encoding e = bpe_encode(a, "aaa");
  EXPECT_EQ(e.tokens, (Tokens{"aa", "a"}));
  EXPECT_EQ(e.offsets, (Offsets{{0, 2}, {2, 3}}));
  EXPECT_EQ(bpe_encode(a, "aaaa").tokens, (Tokens{"aa", "aa"}));
}

TEST(Bpe, UnknownCharactersBecomeUnkFusedOnRequestOrAreDropped) {
  const std::vector<std::string> vocab = {"<unk>", "a", "b", "ab"};
  BpeOptions unk;
  unk.unk_token = "<unk>";
  EXPECT_EQ(bpe_encode(Bpe(vocab, {{"a", "b"}}, unk), "xyab").tokens, (Tokens{"<unk>", "<unk>", "ab"}));
  unk.fuse_unk = true;
  const Encoding fused = bpe_encode(Bpe(vocab, {{"a", "b"}}, unk), "xyab");
  EXPECT_EQ(fused.tokens, (Tokens{"<unk>", "ab"}));
  EXPECT_EQ(fused.offsets, (Offsets{{0, 2}, {2, 4}}));
  // No unk_token: the character is dropped, and (as in HF) later offsets shift left.
  const Encoding dropped = bpe_encode(Bpe(vocab, {{"a", "b"}}, {}), "xab");
  EXPECT_EQ(dropped.tokens, (Tokens{"ab"}));
  EXPECT_EQ(dropped.offsets, (Offsets{{0, 2}}));
  BpeOptions missing;
  missing.unk_token = "[UNK]";
  EXPECT_THROW(bpe_encode(Bpe(vocab, {}, missing), "x"), Error);
}

TEST(Bpe, ContinuingPrefixEndOfWordSuffixAndIgnoreMerges) {
  BpeOptions o;
  o.continuing_subword_prefix = "##";
  o.end_of_word_suffix = "</w>";
  const std::vector<std::string> vocab = {"a", "##b", "##c</w>", "ab", "abc</w>"};
  // The merged token drops the right part's prefix: "a" + "##b" is "ab".
  Bpe bpe(vocab, {{"a", "##b"}, {"ab", "##c</w>"}}, o);
  EXPECT_EQ(bpe_encode(bpe, "abc").tokens, (Tokens{"abc</w>"}));
  BpeOptions ignore;
  ignore.ignore_merges = true;
  Bpe whole({"a", "b", "c", "abc"}, {}, ignore);
  EXPECT_EQ(bpe_encode(whole, "abc").tokens, (Tokens{"abc"}));
  EXPECT_EQ(bpe_encode(whole, "cab").tokens, (Tokens{"c", "a", "b"}));
}

TEST(Bpe, MergeOfATokenOutsideTheVocabularyIsAnErrorNamingIt) {
  try {
    Bpe({"a", "b"}, {{"a", "b"}}, {});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("model.merges[0]: \"ab\" is not in the vocabulary"), std::string::npos)
        << e.what();
  }
}

TEST(ByteLevelOffsets, TrimsSpacesButKeepsTheAddedPrefixSpaceOfTheFirstToken) {
  Encoding e;
  for (auto [token, start, end] : {std::tuple{"\u0120Hello", 0, 6}, std::tuple{"\u0120world", 6, 12},
                                   std::tuple{" <mask>", 12, 19}, std::tuple{"\u0120\u0120", 19, 21}}) {
    e.push(1, token, {start, end}, 0, false);
  }
  Encoding with_prefix = e;
  trim_byte_level_offsets(with_prefix, 0, e.size(), true);
  EXPECT_EQ(with_prefix.offsets, (Offsets{{0, 6}, {7, 12}, {13, 19}, {21, 21}}));
  trim_byte_level_offsets(e, 0, e.size(), false);
  EXPECT_EQ(e.offsets, (Offsets{{1, 6}, {7, 12}, {13, 19}, {21, 21}}));
}

TEST(ByteLevelDecoder, ReadsTokensAsBytesAndReplacesInvalidUtf8) {
  const ByteLevelDecoder d;
  // "é" is two bytes, C3 A9: as byte-level characters "Ã" and "©", split across tokens.
  EXPECT_EQ(d.decode({"\u0120caf", "\u00C3", "\u00A9", "<mask>", "\u010A"}), " café<mask>\n");
  EXPECT_EQ(d.decode({"\u00C3"}), "\uFFFD");          // a lone lead byte
  EXPECT_EQ(d.decode({"\u00C3", "ж", "x"}), "\uFFFDжx");  // "ж" is outside the alphabet: its own UTF-8
}

// Random text over ASCII, Latin, Cyrillic, combining marks, whitespace, CJK and emoji.
std::string random_text(std::mt19937& rng) {
  static const std::vector<std::pair<char32_t, char32_t>> ranges = {
      {0x20, 0x7E}, {0x09, 0x0D}, {0xA0, 0x24F}, {0x300, 0x36F}, {0x400, 0x4FF}, {0x2000, 0x206F},
      {0x3000, 0x30FF}, {0x4E00, 0x9FFF}, {0xAC00, 0xD7A3}, {0x1F300, 0x1FAFF}, {0xE000, 0xF8FF}, {0x10000, 0x10FFFF}};
  std::string s;
  const size_t n = std::uniform_int_distribution<size_t>(0, 40)(rng);
  for (size_t i = 0; i < n; ++i) {
    const auto& [lo, hi] = ranges[std::uniform_int_distribution<size_t>(0, ranges.size() - 1)(rng)];
    char32_t c = std::uniform_int_distribution<char32_t>(lo, hi)(rng);
    if (c >= 0xD800 && c <= 0xDFFF) c = U'x';
    append_utf8(c, s);
  }
  return s;
}

TEST(ByteLevelTokenizer, DecodeGivesBackAnyUtf8Text) {
  const Tokenizer tok = Tokenizer::from_directory(kRoberta);
  std::mt19937 rng(7);
  for (int i = 0; i < 2000; ++i) {
    const std::string text = random_text(rng);
    ASSERT_EQ(tok.decode(tok.encode(text).ids), text) << "text " << i;
  }
}

TEST(ByteLevelTokenizer, MaskTakesTheSpaceBeforeItAndOffsetsSkipSpaces) {
  const Tokenizer tok = Tokenizer::from_directory(kRoberta);
  const Encoding e = tok.encode("Hello <mask>!");
  EXPECT_EQ(e.tokens, (Tokens{"<s>", "Hello", " <mask>", "!", "</s>"}));
  EXPECT_EQ(e.ids, (std::vector<int32_t>{0, 15496 + 4, 50264, 0 + 4, 2}));
  EXPECT_EQ(e.offsets, (Offsets{{0, 0}, {0, 5}, {6, 12}, {12, 13}, {0, 0}}));
  const Encoding pair = tok.encode_pair("a", "b");
  EXPECT_EQ(pair.tokens, (Tokens{"<s>", "a", "</s>", "</s>", "b", "</s>"}));
  EXPECT_EQ(pair.type_ids, std::vector<int32_t>(6, 0));
  EXPECT_EQ(tok.decode(tok.encode("Hello <mask>!").ids, false), "<s>Hello<mask>!</s>");
}

// Older RoBERTa repositories (cardiffnlp's twitter-roberta-base-sentiment among them) ship
// only the slow tokenizer's vocab.json + merges.txt; converted as RobertaConverter does,
// they must encode as the tokenizer.json HF writes for the same files.
TEST(ByteLevelTokenizer, VocabJsonAndMergesTxtEncodeAsTheirTokenizerJson) {
  const nlohmann::json fast = nlohmann::json::parse(std::ifstream(kRoberta / "tokenizer.json"));
  const fs::path dir = fs::temp_directory_path() / ("bertcls_slow_roberta_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "vocab.json") << fast["model"]["vocab"].dump();
  {
    std::ofstream merges(dir / "merges.txt");
    merges << "#version: 0.2\n";
    for (const auto& m : fast["model"]["merges"]) merges << m[0].get<std::string>() << " " << m[1].get<std::string>() << "\n";
  }
  // roberta-base's special_tokens_map.json: plain strings but for the mask.
  std::ofstream(dir / "special_tokens_map.json")
      << R"({"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "sep_token": "</s>", "pad_token": "<pad>",
            "cls_token": "<s>", "mask_token": {"content": "<mask>", "lstrip": true, "normalized": false,
            "rstrip": false, "single_word": false}})";
  const Tokenizer slow = Tokenizer::from_directory(dir), reference = Tokenizer::from_directory(kRoberta);
  std::ifstream corpus(fs::path(BERTCLS_SOURCE_DIR) / "data/rutweetcorp-sample/valid.csv");
  std::vector<std::string> texts = {"Hello <mask>!", "  two  spaces\tand\ttabs\n", "don't  <s>stop</s>", "😀👍🏽 中文"};
  for (std::string line; std::getline(corpus, line);) texts.push_back(line);
  for (size_t i = 0; i < texts.size(); ++i) {
    const Encoding a = slow.encode(texts[i]), b = reference.encode(texts[i]);
    ASSERT_EQ(a.ids, b.ids) << texts[i];
    ASSERT_EQ(a.tokens, b.tokens) << texts[i];
    ASSERT_EQ(a.offsets, b.offsets) << texts[i];
    const Encoding pa = slow.encode_pair(texts[i], texts[0]), pb = reference.encode_pair(texts[i], texts[0]);
    ASSERT_EQ(pa.ids, pb.ids) << texts[i];
    ASSERT_EQ(pa.offsets, pb.offsets) << texts[i];
  }
  EXPECT_EQ(slow.decode(slow.encode(texts[1]).ids), texts[1]);
  EXPECT_EQ(slow.pad_id(), 1);
  EXPECT_EQ(slow.cls_id(), 0);
  // Its files are what it saves with a model folder.
  slow.save_to_directory(dir / "saved");
  EXPECT_TRUE(fs::exists(dir / "saved" / "vocab.json") && fs::exists(dir / "saved" / "merges.txt"));
  fs::remove_all(dir);
}

TEST(ByteLevelTokenizer, KnowsItsSpecialIds) {
  const Tokenizer tok = Tokenizer::from_directory(kRoberta);
  EXPECT_EQ(tok.cls_id(), 0);
  EXPECT_EQ(tok.sep_id(), 2);
  EXPECT_EQ(tok.pad_id(), 1);
  EXPECT_EQ(tok.unk_id(), -1);  // RobertaConverter sets no unk_token on the model
  EXPECT_EQ(tok.vocab_size(), 50265);
  EXPECT_EQ(tok.id_to_token(50264), "<mask>");
}

TEST(AddedVocabulary, LstripAndRstripTakeTheWhitespaceAroundTheToken) {
  AddedVocabulary v;
  const Normalizer identity;  // null: the identity
  v.add({"<l>", 1, true, false, {}, /*lstrip=*/true, /*rstrip=*/false}, identity);
  v.add({"<r>", 2, true, false, {}, /*lstrip=*/false, /*rstrip=*/true}, identity);
  const auto chars = chars_of("a \t<l> <r>\u3000 b <l><l>");
  std::vector<AddedVocabulary::Match> found;
  v.find(chars.data(), chars.size(), false, found);
  ASSERT_EQ(found.size(), 4u);
  EXPECT_EQ(std::pair(found[0].begin, found[0].end), std::pair(1, 6));    // " \t<l>"
  EXPECT_EQ(std::pair(found[1].begin, found[1].end), std::pair(7, 12));   // "<r>\u3000 "
  EXPECT_EQ(std::pair(found[2].begin, found[2].end), std::pair(13, 17));  // " <l>", not "b"
  EXPECT_EQ(std::pair(found[3].begin, found[3].end), std::pair(17, 20));  // never into the previous match
}

// The fixture's tokenizer.json with its model block changed.
std::string model_error(const std::function<void(nlohmann::json&)>& edit) {
  static const nlohmann::json base = [] {
    std::ifstream in(kRoberta / "tokenizer.json");
    return nlohmann::json::parse(in);
  }();
  nlohmann::json j = base;
  edit(j["model"]);
  const fs::path dir = fs::temp_directory_path() / ("bertcls_bpe_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "tokenizer.json") << j.dump();
  try {
    Tokenizer::from_directory(dir);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(ByteLevelTokenizer, RefusesWhatItCannotReproduceAndNamesTheField) {
  EXPECT_NE(model_error([](auto& m) { m["dropout"] = 0.1; }).find("model.dropout"), std::string::npos);
  EXPECT_EQ(model_error([](auto& m) { m["dropout"] = 0.0; }), "no error");
  EXPECT_NE(model_error([](auto& m) { m["byte_fallback"] = true; }).find("model.byte_fallback"), std::string::npos);
  EXPECT_NE(model_error([](auto& m) { m["merges"][3] = "a b c"; }).find("model.merges[3]"), std::string::npos);
  const std::string unknown = model_error([](auto& m) { m["merges"][5] = {"no-such-token", "x"}; });
  EXPECT_NE(unknown.find("model.merges[5]: \"no-such-token\" is not in the vocabulary"), std::string::npos) << unknown;
}

}  // namespace
}  // namespace bertcls::text
