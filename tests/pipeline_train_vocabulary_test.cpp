// bertcls::train_vocabulary: the folder it writes, loaded by bertcls' tokenizer and (in
// the goldens tools/tokenizer-goldens/trained-vocab.js made) by Hugging Face's.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include <bertcls/train_vocabulary.h>
#include "text/tokenizer.h"

namespace bertcls {
namespace {

namespace fs = std::filesystem;
const fs::path kFixtures = fs::path(BERTCLS_FIXTURES) / "tokenizers";
const fs::path kSample = fs::path(BERTCLS_SOURCE_DIR) / "data/rutweetcorp-sample";

fs::path temp_path(const std::string& name) {
  return fs::temp_directory_path() / ("bertcls_vocab_" + std::to_string(::getpid()) + "_" + name);
}

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::vector<std::string> lines_of(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::vector<std::string> out;
  for (std::string line; std::getline(f, line);) out.push_back(line);
  return out;
}

// The texts of a sample CSV (header text,label; no quoting).
std::vector<std::string> sample_texts(const char* file) {
  std::vector<std::string> lines = lines_of(kSample / file), out;
  for (size_t i = 1; i < lines.size(); ++i) out.push_back(lines[i].substr(0, lines[i].rfind(',')));
  return out;
}

// A corpus one text per line: (a, ##b) seen 3 times, (a, ##c) once.
TEST(TrainVocabulary, WritesAFolderTheTokenizerLoadsAndSplitsHeldOutTextsWith) {
  const fs::path corpus = temp_path("corpus.txt"), out = temp_path("small");
  std::ofstream(corpus) << "AB ab\nab ac\n";
  VocabularyOptions o;
  o.text_files = {corpus.string()};
  o.out = out.string();
  o.vocab_size = 12;
  std::vector<std::string> messages;
  const VocabularyResult r = train_vocabulary(o, [&](const std::string& m) { messages.push_back(m); });
  EXPECT_EQ(r.texts, 2u);
  EXPECT_EQ(r.words, 2u);
  EXPECT_EQ(r.alphabet, 3u);
  EXPECT_EQ(r.size, 12u);
  EXPECT_EQ(messages.front(), corpus.string() + ": 2 texts");
  EXPECT_EQ(slurp(out / "vocab.txt"), "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\na\nb\nc\n##b\n##c\nab\nac\n");

  // abc: ab, then ##c; ca: no ##a, so the whole word is [UNK]; so is d.
  const text::Tokenizer tok = text::Tokenizer::from_directory(out);
  const text::Encoding e = tok.encode("AB abc ca d");
  EXPECT_EQ(e.tokens, (std::vector<std::string>{"[CLS]", "ab", "ab", "##c", "[UNK]", "[UNK]", "[SEP]"}));
  EXPECT_EQ(e.ids, (std::vector<int32_t>{2, 10, 10, 9, 1, 1, 3}));
  EXPECT_EQ(tok.encode_pair("ab", "ac").type_ids, (std::vector<int32_t>{0, 0, 0, 1, 1}));
  EXPECT_EQ(tok.decode(e.ids), "ab abc");  // [UNK] is a special token: skipped, as HF does
  EXPECT_EQ(tok.pad_id(), 0);

  const auto config = nlohmann::json::parse(slurp(out / "tokenizer_config.json"));
  EXPECT_EQ(config["tokenizer_class"], "BertTokenizer");
  EXPECT_EQ(config["do_lower_case"], true);
  EXPECT_TRUE(config["strip_accents"].is_null());
  EXPECT_EQ(config["added_tokens_decoder"]["4"]["content"], "[MASK]");
  EXPECT_EQ(nlohmann::json::parse(slurp(out / "special_tokens_map.json")),
            nlohmann::json::parse(R"({"cls_token": "[CLS]", "mask_token": "[MASK]", "pad_token": "[PAD]",
                                      "sep_token": "[SEP]", "unk_token": "[UNK]"})"));
  // The slow files alone (vocab.txt + tokenizer_config.json) make the same tokenizer.
  fs::remove(out / "tokenizer.json");
  EXPECT_EQ(text::Tokenizer::from_directory(out).encode("AB abc ca d").ids, e.ids);
}

TEST(TrainVocabulary, CasedAndExtraSpecialTokensReachTheFolder) {
  const fs::path corpus = temp_path("cased.txt"), out = temp_path("cased");
  std::ofstream(corpus) << "Ab Ab\n";
  VocabularyOptions o;
  o.text_files = {corpus.string()};
  o.out = out.string();
  o.lowercase = false;
  o.special_tokens = {"[UNK]", "[CLS]", "[SEP]", "<extra>"};
  o.vocab_size = 8;
  train_vocabulary(o);
  EXPECT_EQ(slurp(out / "vocab.txt"), "[UNK]\n[CLS]\n[SEP]\n<extra>\nA\nb\n##b\nAb\n");
  const auto tokenizer = nlohmann::json::parse(slurp(out / "tokenizer.json"));
  EXPECT_EQ(tokenizer["normalizer"]["lowercase"], false);
  EXPECT_EQ(tokenizer["added_tokens"][3]["content"], "<extra>");
  EXPECT_EQ(nlohmann::json::parse(slurp(out / "special_tokens_map.json")),
            nlohmann::json::parse(R"({"additional_special_tokens": ["<extra>"], "cls_token": "[CLS]",
                                      "sep_token": "[SEP]", "unk_token": "[UNK]"})"));
  EXPECT_EQ(text::Tokenizer::from_directory(out).encode("Ab <extra> ab").tokens,
            (std::vector<std::string>{"[CLS]", "Ab", "<extra>", "[UNK]", "[SEP]"}));
}

// tests/fixtures/tokenizers/bertcls-vocab is `bertcls vocab --texts train.csv --size 2000`:
// training again writes the same bytes.
TEST(TrainVocabulary, TrainingOnTheSampleIsDeterministic) {
  const fs::path out = temp_path("sample");
  VocabularyOptions o;
  o.text_files = {(kSample / "train.csv").string()};
  o.out = out.string();
  o.vocab_size = 2000;
  train_vocabulary(o);
  for (const char* f : {"vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"})
    EXPECT_EQ(slurp(out / f), slurp(kFixtures / "bertcls-vocab" / f)) << f;
}

// Hugging Face's tokenizers (npm 0.23.2, Tokenizer.fromFile) loaded that folder's
// tokenizer.json and encoded the held-out texts; bertcls gives the same ids.
TEST(TrainVocabulary, HuggingFaceEncodesHeldOutTextsWithTheFolderAsBertclsDoes) {
  const text::Tokenizer tok = text::Tokenizer::from_directory(kFixtures / "bertcls-vocab");
  std::vector<std::string> texts = sample_texts("valid.csv"), test = sample_texts("test.csv");
  texts.insert(texts.end(), test.begin(), test.end());
  const std::vector<std::string> golden = lines_of(kFixtures / "goldens/bertcls-vocab.ids.txt");
  ASSERT_EQ(golden.size(), texts.size());
  size_t continuations = 0;
  for (size_t i = 0; i < texts.size(); ++i) {
    const text::Encoding e = tok.encode(texts[i]);
    std::string ids;
    for (size_t k = 0; k < e.ids.size(); ++k) {
      if (k > 0) ids += ' ';
      ids += std::to_string(e.ids[k]);
      continuations += e.tokens[k].rfind("##", 0) == 0;
    }
    ASSERT_EQ(ids, golden[i]) << "text " << i << ": " << texts[i];
  }
  EXPECT_GT(continuations, 1000u);  // held-out words are split, not only looked up
}

}  // namespace
}  // namespace bertcls
