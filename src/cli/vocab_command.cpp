// bertcls vocab: a WordPiece vocabulary trained from texts, saved as a BERT tokenizer
// folder (HF's BertWordPieceTokenizer.train as one command).
#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/data_options.h"
#include <bertcls/train_vocabulary.h>


namespace bertcls::cli {

namespace {

struct VocabFlags {
  VocabularyOptions options;
  TextFileFlags files;
  std::size_t limit_alphabet = 0;
  bool strip_accents = true;
};

void run_vocab(const VocabFlags& f, const CLI::App& cmd) {
  VocabularyOptions o = f.options;
  f.files.apply(o.data, o.lines);
  if (cmd.count("--limit-alphabet") > 0) o.limit_alphabet = f.limit_alphabet;
  if (cmd.count("--strip-accents") + cmd.count("--no-strip-accents") > 0) o.strip_accents = f.strip_accents;
  auto say = [](const std::string& m) { std::fprintf(stderr, "%s\n", m.c_str()); };
  const VocabularyResult r = train_vocabulary(o, say);
  std::fprintf(stderr, "%zu texts, %zu distinct words, alphabet of %zu characters: %zu tokens in %.2f s, saved to %s\n",
               r.texts, r.words, r.alphabet, r.size, r.seconds, o.out.c_str());
}

}  // namespace

void add_vocab_command(CLI::App& app) {
  auto f = std::make_shared<VocabFlags>();
  VocabularyOptions& o = f->options;
  CLI::App* cmd = app.add_subcommand("vocab", "Train a WordPiece vocabulary from texts (a BERT tokenizer folder)");
  cmd->add_option("--texts", o.text_files,
                  "Text files: one text per line, or the text column of .csv, .tsv, .jsonl files")
      ->required();
  cmd->add_option("--size", o.vocab_size, "Tokens in the vocabulary, special tokens included")->capture_default_str();
  cmd->add_option("--out", o.out, "Folder to write (vocab.txt, tokenizer.json, tokenizer_config.json, ...)")->required();
  cmd->add_option("--min-frequency", o.min_frequency, "Merge only pairs seen at least this often")->capture_default_str();
  cmd->add_option("--limit-alphabet", f->limit_alphabet, "Keep only this many characters, the most frequent");
  cmd->add_flag("--lowercase,!--no-lowercase", o.lowercase, "Lowercase texts (default: yes)");
  cmd->add_flag("--strip-accents,!--no-strip-accents", f->strip_accents, "Strip accents (default: as --lowercase)");
  cmd->add_flag("!--no-chinese-chars", o.handle_chinese_chars, "Do not split CJK ideographs into words of their own");
  // Up to 64 values and no extra arguments: CLI11 would otherwise read "[UNK]" as a list
  // holding UNK.
  cmd->add_option("--special-tokens", o.special_tokens, "Special tokens, first in the vocabulary")
      ->default_str("[PAD] [UNK] [CLS] [SEP] [MASK]")
      ->expected(1, 64)
      ->allow_extra_args(false);
  f->files.add_to(cmd, o.data);
  cmd->callback([f, cmd] { run_vocab(*f, *cmd); });
}

}  // namespace bertcls::cli
