// bertcls tokenize: one JSON line per text with ids, type ids, tokens and offsets.
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include <bertcls/error.h>

#include "io/jsonl_reader.h"
#include "io/text_lines.h"
#include "io/utf8_check.h"
#include "text/tokenizer.h"

namespace bertcls::cli {

namespace {

struct TokenizeOptions {
  std::string tokenizer_dir;
  std::string input;
  std::vector<std::string> texts;
  bool jsonl = false;
  size_t max_length = 0;
  bool no_special_tokens = false;
  bool replace_invalid_utf8 = false;
};

constexpr const char* kReplaceHint = " (--replace-invalid-utf8 replaces it with U+FFFD)";

void print_encoding(const text::Encoding& e) { std::printf("%s\n", e.to_json().c_str()); }

void run_tokenize(const TokenizeOptions& o) {
  text::Tokenizer tok = text::Tokenizer::from_directory(o.tokenizer_dir);
  if (o.max_length > 0) {
    text::TruncationParams p = tok.truncation().value_or(text::TruncationParams{});
    p.max_length = o.max_length;
    tok.set_truncation(p);
  }
  const bool special = !o.no_special_tokens;
  const auto policy = o.replace_invalid_utf8 ? InvalidUtf8Policy::kReplace : InvalidUtf8Policy::kError;
  if (!o.texts.empty()) {
    for (size_t i = 0; i < o.texts.size(); ++i) {
      std::string t;
      try {
        t = io::valid_utf8(o.texts[i], policy);
      } catch (const Error& e) {
        throw Error("argument " + std::to_string(i + 1) + ": " + e.what() + kReplaceHint);
      }
      print_encoding(tok.encode(t, special));
    }
    return;
  }
  io::TextLineReader reader(o.input.empty() ? "-" : o.input, policy);
  for (;;) {
    std::optional<io::TextLine> next;
    try {
      next = reader.next();
    } catch (const Error& e) {
      throw Error(e.what() + std::string(kReplaceHint));
    }
    if (!next) break;
    const std::string& line = next->text;
    const std::string where = reader.name() + ": line " + std::to_string(next->number);
    if (!o.jsonl) {
      print_encoding(tok.encode(line, special));
      continue;
    }
    const io::TextPairLine input = io::parse_text_pair_line(line, where);
    try {
      print_encoding(input.pair ? tok.encode_pair(input.text, *input.pair, special) : tok.encode(input.text, special));
    } catch (const Error& e) {
      throw Error(where + ": " + e.what());
    }
  }
}

}  // namespace

void add_tokenize_command(CLI::App& app) {
  auto opts = std::make_shared<TokenizeOptions>();
  CLI::App* cmd = app.add_subcommand(
      "tokenize", "Print ids, type ids, tokens and offsets of texts, one JSON line per text");
  cmd->add_option("--tokenizer", opts->tokenizer_dir, "Model folder with tokenizer.json or vocab.txt")
      ->required();
  cmd->add_option("--input", opts->input,
                  "File with one text per line ('-': stdin); without it and without TEXT, stdin");
  cmd->add_option("text", opts->texts, "Texts to tokenize");
  cmd->add_flag("--jsonl", opts->jsonl, "Input lines are {\"text\": ..., \"text_pair\": ...} (text_pair optional)");
  cmd->add_option("--max-length", opts->max_length,
                  "Truncate to N tokens, special tokens included (default: the tokenizer's own setting)");
  cmd->add_flag("--no-special-tokens", opts->no_special_tokens, "Do not add [CLS] and [SEP]");
  cmd->add_flag("--replace-invalid-utf8", opts->replace_invalid_utf8,
                "Replace invalid UTF-8 with U+FFFD instead of failing");
  cmd->get_option("--input")->excludes(cmd->get_option("text"));
  cmd->callback([opts] { run_tokenize(*opts); });
}

}  // namespace bertcls::cli
