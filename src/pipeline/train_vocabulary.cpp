// bertcls::train_vocabulary: texts from files, counted as the tokenizer will split them,
// a WordPiece vocabulary trained on the counts, the tokenizer folder written.
#include <bertcls/train_vocabulary.h>

#include <algorithm>
#include <chrono>
#include <optional>

#include "pipeline/bert_tokenizer_folder.h"
#include "pipeline/text_files.h"
#include "text/word_counter.h"
#include "text/wordpiece_trainer.h"

namespace bertcls {

namespace {

void check_special_tokens(const std::vector<std::string>& specials) {
  for (const char* needed : {"[UNK]", "[CLS]", "[SEP]"}) {
    if (std::find(specials.begin(), specials.end(), needed) == specials.end())
      throw Error(std::string("special tokens: ") + needed + " is missing (the tokenizer needs [UNK], [CLS] and [SEP])");
  }
  for (size_t i = 0; i < specials.size(); ++i) {
    if (specials[i].empty()) throw Error("special tokens: token " + std::to_string(i + 1) + " is empty");
    if (std::find(specials.begin(), specials.begin() + static_cast<std::ptrdiff_t>(i), specials[i]) !=
        specials.begin() + static_cast<std::ptrdiff_t>(i))
      throw Error("special tokens: " + specials[i] + " is given twice");
  }
}

}  // namespace

VocabularyResult train_vocabulary(const VocabularyOptions& o, const std::function<void(const std::string&)>& on_message) {
  const auto start = std::chrono::steady_clock::now();
  auto say = [&](const std::string& m) {
    if (on_message) on_message(m);
  };
  if (o.text_files.empty()) throw Error("no text files to learn a vocabulary from");
  if (o.out.empty()) throw Error("no output folder");
  check_special_tokens(o.special_tokens);

  const text::BertNormalizer normalizer{o.clean_text, o.handle_chinese_chars, o.strip_accents.value_or(o.lowercase),
                                        o.lowercase};
  text::WordCounter counter(normalizer);
  VocabularyResult r;
  for (const std::string& path : o.text_files) {
    const std::size_t texts = pipeline::for_each_text(path, {o.data, o.lines}, [&](std::string&& t) { counter.add(t); });
    r.texts += texts;
    say(path + ": " + std::to_string(texts) + " texts");
  }
  r.words = counter.counts().size();
  if (r.words == 0) {
    throw Error((o.text_files.size() == 1 ? o.text_files[0] : std::to_string(o.text_files.size()) + " files") +
                ": no words to learn a vocabulary from (" + std::to_string(r.texts) + " texts)");
  }
  say(std::to_string(r.words) + " distinct words");

  text::WordPieceTrainerOptions t;
  t.vocab_size = o.vocab_size;
  t.min_frequency = o.min_frequency;
  t.limit_alphabet = o.limit_alphabet;
  t.special_tokens = o.special_tokens;
  text::WordPieceVocabulary vocab = text::train_wordpiece(counter.counts(), t);
  r.alphabet = vocab.alphabet;
  r.size = vocab.tokens.size();

  pipeline::write_bert_tokenizer_folder(
      o.out, {std::move(vocab.tokens), o.special_tokens, o.clean_text, o.handle_chinese_chars, o.strip_accents, o.lowercase});
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

}  // namespace bertcls
