// Masked-language-model pre-training: the run `bertcls pretrain` makes, as one call.
//
//   #include <bertcls/pretrain.h>
//   bertcls::PretrainOptions o;
//   o.preset = "rubert-tiny2";                  // or o.model = a BERT folder / ORG/NAME
//   o.text_files = {"corpus.txt", "train.csv"}; // lines; a CSV's text column
//   o.out = "out/mlm";
//   bertcls::PretrainResult r = bertcls::pretrain(o);  // a BertForMaskedLM folder in r.model_dir
//
// As transformers' run_mlm.py: texts encoded with [CLS] ... [SEP], concatenated and cut
// into sequences of max_length tokens; DataCollatorForLanguageModeling's masking (15% of
// the tokens, 80% [MASK], 10% a random token, 10% kept; special tokens never; whole words
// as an option); BertForMaskedLM's loss; AdamW, a linear warm-up schedule and gradient
// clipping. OUT/model is a Hugging Face BertForMaskedLM folder with the tokenizer files,
// written after every epoch, that `bertcls train --model` (a fresh classifier head on the
// encoder) and transformers' AutoModelForMaskedLM load; OUT/metrics.jsonl and
// OUT/curves.svg record the run; checkpoints and resume are as fine_tune's.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <bertcls/fine_tune.h>

namespace bertcls {

struct PretrainOptions {
  std::string model;                    // BERT folder or hub name ORG/NAME; empty: from scratch
  std::string preset = "rubert-tiny2";  // from scratch: a bundled preset or a folder with config.json + tokenizer
  std::string preset_dir;               // where bundled presets live (the CLI passes its data/)
  // Each file is read by its extension: .csv, .tsv/.tab, .jsonl/.json/.ndjson as a dataset
  // whose data.text_column is the text (labels are not read); anything else one text per
  // line. data.format, when set, reads every file as that format, and `lines` every file
  // as lines. Blank texts are skipped.
  std::vector<std::string> text_files;
  DataOptions data;
  bool lines = false;
  std::string out;                      // the run folder
  std::size_t max_length = 128;         // tokens per sequence (at most the model's positions)
  double mlm_probability = 0.15;
  bool whole_word_masking = false;

  std::int64_t epochs = 1;
  std::size_t batch_size = 32;          // sequences per batch
  double lr = 5e-5;                     // TrainingArguments' default
  double warmup_ratio = 0.0;
  std::int64_t warmup_steps = 0;        // > 0 wins over warmup_ratio
  double weight_decay = 0.0;
  double max_grad_norm = 1.0;           // 0: no clipping
  std::int64_t grad_accum = 1;
  std::int64_t max_steps = 0;           // > 0: stop after this many optimizer steps
  std::uint64_t seed = 42;              // batch order, masks, dropout and new weights
  std::int64_t save_steps = 0;          // > 0: checkpoint every this many steps
  std::int64_t log_every = 50;          // steps between metrics.jsonl step records
  std::string resume;                   // a run folder or checkpoint to continue from
  Precision precision = Precision::Float32;  // of the dense layers' products, as FineTuneOptions'
};

struct PretrainResult {
  std::string model_dir;            // OUT/model
  std::vector<EpochReport> epochs;  // those this call ran; train_loss is the masked tokens' mean
  bool interrupted = false;         // stop_requested: continue with options.resume = out
  std::int64_t step = 0;            // optimizer steps taken in the whole run
  std::size_t sequences = 0;        // of max_length tokens (the last may be shorter)
  std::size_t tokens = 0;           // in those sequences
};

// Throws Error naming the file, line, field or option of anything wrong: a model that is
// not BERT, a tokenizer without [MASK], a changed option on resume.
PretrainResult pretrain(const PretrainOptions& options, const FineTuneCallbacks& callbacks = {});

}  // namespace bertcls
