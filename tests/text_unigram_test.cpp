// The pieces of SentencePiece Unigram on their own: the Viterbi segmentation and its
// unknown-character rules and byte fallback, the precompiled charsmap lookup and the
// Precompiled normalizer's alignment, Replace, Metaspace (pre-tokenizer and decoder), the
// chain decoders (ByteFallback, Fuse, Strip, Replace) and what the loader refuses. Parity with HF on whole texts is text_tokenizer_parity_test.cpp's job.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include <bertcls/error.h>
#include "common/base64.h"
#include "common/utf8.h"
#include "text/decoder_chain.h"
#include "text/metaspace_pre_tokenizer.h"
#include "text/normalizer.h"
#include "text/precompiled_charsmap.h"
#include "text/tokenizer.h"
#include "text/unigram.h"

namespace bertcls::text {
namespace {

namespace fs = std::filesystem;
using Offsets = std::vector<std::pair<int32_t, int32_t>>;
const fs::path kXlmr = fs::path(BERTCLS_FIXTURES) / "tokenizers/xlmr-unigram";

NormalizedText text_of(const std::string& s) {
  std::vector<char32_t> chars;
  decode_utf8(s, chars, InvalidUtf8Policy::kError);
  NormalizedText t;
  for (size_t i = 0; i < chars.size(); ++i) t.push(chars[i], static_cast<int32_t>(i));
  return t;
}

std::string utf8_of(const NormalizedText& t) {
  std::string s;
  for (char32_t c : t.chars) append_utf8(c, s);
  return s;
}

Encoding segment(const Unigram& model, const std::string& word) {
  const NormalizedText t = text_of(word);
  Encoding e;
  model.tokenize(t, {0, static_cast<int32_t>(t.size())}, 0, e);
  return e;
}

TEST(Unigram, ViterbiTakesThePiecesWithTheHighestTotalScore) {
  // "abc": ab+c = -3, a+bc = -2.5, abc = -4, a+b+c = -6.
  const Unigram m({{"<unk>", 0}, {"a", -2}, {"b", -2}, {"c", -2}, {"ab", -1}, {"bc", -0.5}, {"abc", -4}}, 0);
  const Encoding e = segment(m, "abc");
  EXPECT_EQ(e.tokens, (std::vector<std::string>{"a", "bc"}));
  EXPECT_EQ(e.ids, (std::vector<int32_t>{1, 5}));
  EXPECT_EQ(e.offsets, (Offsets{{0, 1}, {1, 3}}));
}

TEST(Unigram, OnATieTheEarlierStartingPieceWins) {
  // ab+c and a+bc both score -2. Offers are made start by start, so a+bc (its last piece
  // starting at 1) reaches the end first, and ab+c's "c" (from 2) would need a strictly
  // higher score to replace it.
  const Unigram m({{"<unk>", 0}, {"a", -1}, {"b", -5}, {"c", -1}, {"ab", -1}, {"bc", -1}}, 0);
  EXPECT_EQ(segment(m, "abc").tokens, (std::vector<std::string>{"a", "bc"}));
}

TEST(Unigram, UnknownCharactersFuseIntoOneTokenSpellingThem) {
  // Unknown score: min score (-3) - 10 = -13 per character.
  const Unigram m({{"<unk>", 0}, {"a", -1}, {"xy", -3}}, 0);
  const Encoding e = segment(m, "a✈✈a✈x");
  EXPECT_EQ(e.tokens, (std::vector<std::string>{"a", "✈✈", "a", "✈x"}));
  EXPECT_EQ(e.ids, (std::vector<int32_t>{1, 0, 1, 0}));
  EXPECT_EQ(e.offsets, (Offsets{{0, 1}, {1, 3}, {3, 4}, {4, 6}}));
  // "x" alone has no piece of its own length, so it is offered as unknown even though
  // "xy" starts with it; "xy" still wins where it fits.
  EXPECT_EQ(segment(m, "xy").tokens, (std::vector<std::string>{"xy"}));
}

TEST(Unigram, FusedUnknownCharactersThatSpellAPieceTakeItsId) {
  // "<unk>" typed in the text matches the piece of id unk_id, so it fuses with the
  // unknown characters around it, and the fused text is looked up again.
  const Unigram m({{"a", -1}, {"<unk>", 0}, {"b", -1}}, 1);
  const Encoding e = segment(m, "✈<unk>");
  EXPECT_EQ(e.tokens, (std::vector<std::string>{"✈<unk>"}));
  EXPECT_EQ(e.ids, (std::vector<int32_t>{1}));
}

TEST(Unigram, AnUnknownCharacterWithoutUnkIdIsAnError) {
  const Unigram m({{"a", -1}}, std::nullopt);
  EXPECT_EQ(segment(m, "aa").tokens, (std::vector<std::string>{"a", "a"}));
  EXPECT_THROW(segment(m, "ab"), Error);
  EXPECT_THROW(Unigram({{"a", -1}}, 1), Error);
}

TEST(Base64, DecodesPaddedStandardBase64) {
  EXPECT_EQ(decode_base64("aGVsbG8="), "hello");
  EXPECT_EQ(decode_base64("aGk="), "hi");
  EXPECT_EQ(decode_base64(""), "");
  EXPECT_EQ(decode_base64("aGVsbG8"), std::nullopt);
  EXPECT_EQ(decode_base64("aG!s"), std::nullopt);
}

// The fixture's nmt_nfkc charsmap, as SentencePiece compiled it.
std::string fixture_charsmap() {
  std::ifstream in(kXlmr / "tokenizer.json");
  const auto j = nlohmann::json::parse(in);
  return *decode_base64(j["normalizer"]["normalizers"][0]["precompiled_charsmap"].get<std::string>());
}

TEST(PrecompiledCharsmap, LooksUpTheShortestRuleMatchingAPrefix) {
  const PrecompiledCharsmap map(fixture_charsmap());
  EXPECT_EQ(map.transform("ﬁ"), "fi");
  EXPECT_EQ(map.transform("①"), "1");
  EXPECT_EQ(map.transform("Ａ"), "A");
  EXPECT_EQ(map.transform("\x01"), "");  // controls are deleted
  EXPECT_EQ(map.transform("a"), std::nullopt);
  EXPECT_EQ(map.transform("ж"), std::nullopt);
  // The rule for "ﬁ" answers for the whole chunk: its caller replaces all of it.
  EXPECT_EQ(map.transform("ﬁ\u0301"), "fi");
  EXPECT_EQ(map.transform(std::string("\0ﬁ", 4)), std::nullopt);  // NUL ends the search
  EXPECT_THROW(PrecompiledCharsmap(std::string("\x08\0\0\0", 4)), Error);  // trie past the end
}

TEST(PrecompiledNormalizer, ReplacesClustersAndKeepsHfsAlignment) {
  Normalizer n;
  n.add(PrecompiledNormalizer(fixture_charsmap()));
  auto run = [&](const std::string& s) {
    const NormalizedText in = text_of(s);
    NormalizedText out;
    n.normalize(in.chars.data(), in.size(), 0, out);
    return out;
  };
  NormalizedText t = run("xﬁ①");
  EXPECT_EQ(utf8_of(t), "xfi1");
  EXPECT_EQ(t.origin, (std::vector<int32_t>{0, 1, 1, 2}));
  // ﬁ + U+0301 is one cluster; its start matches the rule for ﬁ, so the mark goes too.
  EXPECT_EQ(utf8_of(run("ﬁ\u0301x")), "fix");
  // A deletion after a character extends that character's edit...
  t = run("a\x01" "bc");
  EXPECT_EQ(utf8_of(t), "abc");
  EXPECT_EQ(t.origin, (std::vector<int32_t>{0, 2, 3}));
  // ...but at the very start there is none to extend, and HF's alignment then lags one
  // character behind for the rest of the text.
  t = run("\x01" "abc");
  EXPECT_EQ(utf8_of(t), "abc");
  EXPECT_EQ(t.origin, (std::vector<int32_t>{0, 1, 2}));
}

TEST(ReplaceNormalizer, ReplacesRunsAndAlignsToTheLastMatchedCharacter) {
  Normalizer n;
  n.add(ReplaceNormalizer::from_regex(U" {2,}", U" "));
  const NormalizedText in = text_of("a  b c   d");
  NormalizedText out;
  n.normalize(in.chars.data(), in.size(), 0, out);
  EXPECT_EQ(utf8_of(out), "a b c d");
  EXPECT_EQ(out.origin, (std::vector<int32_t>{0, 2, 3, 4, 5, 8, 9}));
  Normalizer literal;
  literal.add(ReplaceNormalizer(U"''", U"\""));
  out.clear();
  const NormalizedText quotes = text_of("''x'''");
  literal.normalize(quotes.chars.data(), quotes.size(), 0, out);
  EXPECT_EQ(utf8_of(out), "\"x\"'");
  EXPECT_THROW(ReplaceNormalizer::from_regex(U"\\s+", U" "), Error);
  EXPECT_THROW(ReplaceNormalizer::from_regex(U"a{0,}", U" "), Error);
  EXPECT_NO_THROW(ReplaceNormalizer::from_regex(U"x+", U"y"));
}

std::vector<std::string> words_of(const MetaspacePreTokenizer& m, const std::string& s, bool at_text_start,
                                  Offsets* origins = nullptr) {
  const NormalizedText in = text_of(s);
  NormalizedText out;
  std::vector<CharSpan> words;
  m.pre_tokenize(in, {0, static_cast<int32_t>(in.size())}, at_text_start, out, words);
  std::vector<std::string> result;
  for (CharSpan w : words) {
    std::string word;
    for (int32_t i = w.begin; i < w.end; ++i) append_utf8(out.chars[i], word);
    result.push_back(word);
    if (origins) origins->push_back({out.origin[w.begin], out.origin[w.end - 1] + 1});
  }
  return result;
}

TEST(MetaspacePreTokenizer, ReplacesSpacesPrependsAndSplits) {
  MetaspacePreTokenizer m;
  Offsets origins;
  EXPECT_EQ(words_of(m, "hi  there", false, &origins), (std::vector<std::string>{"▁hi", "▁", "▁there"}));
  EXPECT_EQ(origins, (Offsets{{0, 2}, {2, 3}, {3, 9}}));  // the prepended ▁ takes "h"'s origin
  EXPECT_EQ(words_of(m, " x", false), (std::vector<std::string>{"▁x"}));  // starts with one already
  EXPECT_EQ(words_of(m, "▁x", false), (std::vector<std::string>{"▁x"}));
  m.prepend = MetaspacePreTokenizer::Prepend::kFirst;
  EXPECT_EQ(words_of(m, "a b", true), (std::vector<std::string>{"▁a", "▁b"}));
  EXPECT_EQ(words_of(m, "a b", false), (std::vector<std::string>{"a", "▁b"}));
  m.prepend = MetaspacePreTokenizer::Prepend::kNever;
  EXPECT_EQ(words_of(m, "a b", true), (std::vector<std::string>{"a", "▁b"}));
  m.split = false;
  EXPECT_EQ(words_of(m, "a b ", true), (std::vector<std::string>{"a▁b▁"}));
}

std::string decode(const DecoderChain::Step& step, std::vector<std::string> tokens) {
  DecoderChain chain;
  chain.add(step);
  return chain.decode(std::move(tokens));
}

TEST(MetaspaceDecoder, TurnsMetaspacesBackIntoSpaces) {
  EXPECT_EQ(decode(MetaspaceDecoder{}, {"▁Hello", "▁wor", "ld", "▁"}), "Hello world ");
  EXPECT_EQ(decode(MetaspaceDecoder{}, {"a▁b", "▁c"}), "ab c");  // every ▁ of the first token goes
  EXPECT_EQ(decode(MetaspaceDecoder{U'\u2581', false}, {"▁a", "▁b"}), " a b");
}

TEST(DecoderChain, ByteFallbackFuseStripAndReplaceAsLlamaChainsThem) {
  // Valid bytes become their text; an invalid run, one U+FFFD per byte.
  EXPECT_EQ(decode(ByteFallbackDecoder{}, {"a", "<0xE2>", "<0x9C>", "<0x88>", "b", "<0xE2>", "<0x9C>", "<0x41>"}),
            "a✈b\uFFFD\uFFFD\uFFFD");
  EXPECT_EQ(decode(ByteFallbackDecoder{}, {"<0x4g>", "<0x41>"}), "<0x4g>A");
  EXPECT_EQ(decode(StripDecoder{U' ', 1, 0}, {"  a ", " b"}), " a b");  // per token
  DecoderChain llama;
  llama.add(ReplaceNormalizer(U"\u2581", U" "));
  llama.add(ByteFallbackDecoder{});
  llama.add(FuseDecoder{});
  llama.add(StripDecoder{U' ', 1, 0});
  EXPECT_EQ(llama.decode({"▁Hello", "▁", "<0xF0>", "<0x9F>", "<0x98>", "<0x80>", "▁x"}), "Hello 😀 x");
}

TEST(Unigram, ByteFallbackSpellsUnknownTextAsBytePieces) {
  const Unigram m({{"<unk>", 0}, {"a", -1}, {"<0xE2>", 0}, {"<0x9C>", 0}, {"<0x88>", 0}}, 0, /*byte_fallback=*/true);
  const Encoding e = segment(m, "a✈a✉");
  EXPECT_EQ(e.tokens, (std::vector<std::string>{"a", "<0xE2>", "<0x9C>", "<0x88>", "a", "✉"}));
  EXPECT_EQ(e.ids, (std::vector<int32_t>{1, 2, 3, 4, 1, 0}));  // ✉ needs <0x89>, missing: unk
  EXPECT_EQ(e.offsets, (Offsets{{0, 1}, {1, 2}, {1, 2}, {1, 2}, {2, 3}, {3, 4}}));
}

// The fixture's tokenizer.json changed by `edit`, loaded.
Tokenizer load_edited(const std::function<void(nlohmann::json&)>& edit) {
  std::ifstream in(kXlmr / "tokenizer.json");
  auto j = nlohmann::json::parse(in);
  edit(j);
  const fs::path dir = fs::temp_directory_path() / ("bertcls_unigram_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "tokenizer.json") << j.dump();
  return Tokenizer::from_directory(dir);
}

void expect_refused(const std::function<void(nlohmann::json&)>& edit, const std::string& fragment) {
  try {
    load_edited(edit);
    ADD_FAILURE() << "loaded; expected an error containing " << fragment;
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(UnigramLoader, LoadsXlmRobertasLayout) {
  const Tokenizer tok = Tokenizer::from_directory(kXlmr);
  EXPECT_EQ(tok.cls_id(), 0);
  EXPECT_EQ(tok.pad_id(), 1);
  EXPECT_EQ(tok.sep_id(), 2);
  EXPECT_EQ(tok.unk_id(), 3);
  EXPECT_EQ(tok.id_to_token(tok.vocab_size() - 1), "<mask>");
  const Encoding e = tok.encode_pair("Привет", "мир");
  EXPECT_EQ(e.tokens.front(), "<s>");
  EXPECT_EQ(std::count(e.tokens.begin(), e.tokens.end(), "</s>"), 3);
  EXPECT_EQ(tok.decode(tok.encode("  Привет,   мир!").ids), "Привет, мир!");
}

TEST(UnigramLoader, SavesTheSentencePieceModelWithTheTokenizer) {
  const Tokenizer tok = Tokenizer::from_directory(kXlmr);
  const fs::path out = fs::temp_directory_path() / ("bertcls_unigram_save_" + std::to_string(::getpid()));
  tok.save_to_directory(out);
  EXPECT_TRUE(fs::exists(out / "sentencepiece.bpe.model"));
  EXPECT_EQ(Tokenizer::from_directory(out).encode("ﬁne ①  x").ids, tok.encode("ﬁne ①  x").ids);
  fs::remove_all(out);
}

TEST(UnigramLoader, RefusesWhatItDoesNotImplement) {
  expect_refused([](auto& j) { j["model"]["unk_id"] = 100000; }, "model.unk_id");
  expect_refused([](auto& j) { j["pre_tokenizer"]["add_prefix_space"] = false; }, "pre_tokenizer.add_prefix_space");
  expect_refused([](auto& j) { j["pre_tokenizer"]["prepend_scheme"] = "sometimes"; }, "pre_tokenizer.prepend_scheme");
  expect_refused([](auto& j) { j["normalizer"]["normalizers"][1]["pattern"] = {{"Regex", "\\s+"}}; },
                 "normalizer.normalizers[1]");
  expect_refused([](auto& j) { j["normalizer"]["normalizers"][0]["precompiled_charsmap"] = "!!"; },
                 "normalizer.normalizers[0].precompiled_charsmap");
  expect_refused([](auto& j) { j["normalizer"] = {{"type", "NFKC"}}; }, "normalizer: type NFKC");
  expect_refused([](auto& j) { j["decoder"] = {{"type", "Sequence"}, {"decoders", {{{"type", "CTC"}}}}}; },
                 "decoder.decoders[0]: type CTC");
  expect_refused([](auto& j) { j["decoder"] = {{"type", "Strip"}, {"content", "ab"}, {"start", 1}, {"stop", 0}}; },
                 "decoder.content");
}

}  // namespace
}  // namespace bertcls::text
