#include "pipeline/from_scratch.h"

#include <nlohmann/json.hpp>

#include <bertcls/pretrain.h>
#include <bertcls/train_vocabulary.h>

#include "io/atomic_file.h"
#include "io/strict_json.h"
#include "pipeline/preset_folder.h"
#include "train/checkpoint.h"

namespace bertcls::pipeline {
namespace {

namespace fs = std::filesystem;

// One text per line: a line break inside a text would cut it in two.
void write_texts(const fs::path& file, const std::vector<io::Example>& train) {
  io::write_file_atomically(file, [&](std::ostream& out) {
    auto line = [&](std::string text) {
      for (char& c : text)
        if (c == '\n' || c == '\r') c = ' ';
      out << text << '\n';
    };
    for (const io::Example& e : train) {
      line(e.text);
      if (!e.text_pair.empty()) line(e.text_pair);
    }
  });
}

std::vector<std::string> text_files(const fs::path& texts, const FromScratchOptions& s) {
  std::vector<std::string> files{texts.string()};
  files.insert(files.end(), s.unlabelled_files.begin(), s.unlabelled_files.end());
  return files;
}

// OUT/from-scratch/vocabulary: the learned tokenizer and the preset's config.json with
// its size, written last, so that a folder with config.json is a finished stage.
fs::path learn_vocabulary(const FineTuneOptions& o, const fs::path& preset, const fs::path& dir, const fs::path& texts,
                          const std::function<void(const std::string&)>& say) {
  const fs::path folder = dir / "vocabulary";
  if (fs::exists(folder / "config.json")) {
    say("vocabulary: kept " + folder.string());
    return folder;
  }
  nlohmann::json config = io::read_json_strict(preset / "config.json");
  VocabularyOptions v;
  v.text_files = text_files(texts, o.scratch);
  v.data.text_column = o.data.text_column;
  v.data.skip_bad_rows = o.data.skip_bad_rows;
  v.out = folder.string();
  v.vocab_size = o.scratch.vocab_size;
  // Accents carry meaning in many languages (Russian й and ё lose theirs to NFD).
  v.strip_accents = false;
  const VocabularyResult r = train_vocabulary(v);
  config["vocab_size"] = r.size;
  config.erase("_name_or_path");
  io::write_file_atomically(folder / "config.json", [&](std::ostream& out) { out << config.dump(2) << '\n'; });
  say("vocabulary: " + std::to_string(r.size) + " WordPiece tokens learned from " + std::to_string(r.texts) +
      " texts (" + std::to_string(r.words) + " distinct words), saved to " + folder.string());
  return folder;
}

}  // namespace

nlohmann::json from_scratch_fingerprint(const FineTuneOptions& o) {
  const FromScratchOptions& s = o.scratch;
  return {{"preset", o.preset},
          {"vocab_size", s.vocab_size},
          {"unlabelled_files", s.unlabelled_files},
          {"pretrain_epochs", s.pretrain_epochs},
          {"pretrain_lr", s.pretrain_lr},
          {"pretrain_batch_size", s.pretrain_batch_size},
          {"pretrain_max_length", s.pretrain_max_length},
          {"mlm_probability", s.mlm_probability}};
}

ScratchStart start_from_scratch(const FineTuneOptions& o, const std::vector<io::Example>& train, bool resuming,
                                const FineTuneCallbacks& cb) {
  auto say = [&](const std::string& line) { if (cb.on_message) cb.on_message(line); };
  const FromScratchOptions& s = o.scratch;
  const fs::path preset = preset_folder(o.preset, o.preset_dir);
  if (s.vocab_size == 0) {
    if (!fs::exists(preset / "tokenizer.json") && !fs::exists(preset / "vocab.txt"))
      throw Error("preset " + o.preset + " has no tokenizer of its own (" + preset.string() +
                  "): learn a vocabulary from the texts (vocab_size > 0, --vocab-size N)");
    if (s.pretrain_epochs == 0) return {preset, false, false, 0};
  }

  const fs::path dir = fs::path(o.out) / "from-scratch";
  if (resuming && !fs::is_directory(dir))
    throw Error("resume " + o.resume + ": no checkpoint-STEP folder and no from-scratch stages (" + dir.string() +
                ") to continue");
  if (!resuming) fs::remove_all(dir);
  fs::create_directories(dir);
  const nlohmann::json fingerprint = from_scratch_fingerprint(o);
  const fs::path options_file = dir / "options.json";
  if (resuming && fs::exists(options_file)) {
    train::check_same_run(io::read_json_strict(options_file), fingerprint, dir);
  } else {
    io::write_file_atomically(options_file, [&](std::ostream& out) { out << fingerprint.dump(2) << '\n'; });
  }
  const fs::path texts = dir / "texts.txt";
  if (!resuming || !fs::exists(texts)) write_texts(texts, train);
  const fs::path shape = s.vocab_size > 0 ? learn_vocabulary(o, preset, dir, texts, say) : preset;
  if (s.pretrain_epochs == 0) return {shape, false, false, 0};

  const fs::path run = dir / "pretraining";
  const fs::path finished = dir / "pretrained.json";
  if (fs::exists(finished)) {
    say("pre-training: kept " + run.string());
    return {run / "model", true, false, 0};
  }
  PretrainOptions p;
  p.preset = shape.string();
  p.text_files = text_files(texts, s);
  p.data.text_column = o.data.text_column;
  p.data.skip_bad_rows = o.data.skip_bad_rows;
  p.out = run.string();
  p.max_length = s.pretrain_max_length;
  p.mlm_probability = s.mlm_probability;
  p.epochs = s.pretrain_epochs;
  p.batch_size = s.pretrain_batch_size;
  p.lr = s.pretrain_lr;
  p.warmup_ratio = 0.06;
  p.weight_decay = 0.01;
  p.max_grad_norm = o.max_grad_norm;
  p.precision = o.precision;
  p.seed = o.seed;
  p.save_steps = o.save_steps;
  p.log_every = o.log_every;
  if (resuming && train::has_checkpoint(run)) p.resume = run.string();
  say("pre-training a masked language model on the training texts" +
      std::string(s.unlabelled_files.empty() ? "" : " and " + std::to_string(s.unlabelled_files.size()) + " unlabelled files") +
      " for " + std::to_string(s.pretrain_epochs) + " epochs, in " + run.string());
  const PretrainResult r = pretrain(p, cb);
  if (r.interrupted) return {run / "model", true, true, r.step};
  io::write_file_atomically(finished, [&](std::ostream& out) {
    out << nlohmann::json{{"steps", r.step}, {"sequences", r.sequences}, {"tokens", r.tokens}}.dump() << '\n';
  });
  return {run / "model", true, false, r.step};
}

}  // namespace bertcls::pipeline
