// Fine-tuning a classifier: the whole run `bertcls train` makes, as one call.
//
//   #include <bertcls/fine_tune.h>
//   bertcls::FineTuneOptions o;
//   o.model = "cointegrated/rubert-tiny2";             // or a folder; empty: from scratch
//   o.train_files = {"train.csv"};
//   o.valid_file = "valid.csv";
//   o.out = "out/run";
//   bertcls::FineTuneResult r = bertcls::fine_tune(o);  // best epoch's model in r.model_dir
//
// It reads the data (several training files are one dataset, labels from their union),
// holds out a stratified validation split when no validation file is given, loads the
// model (or builds one from a preset), encodes the texts, fine-tunes with AdamW, a
// linear warm-up schedule and gradient clipping, evaluates after each epoch, keeps the
// best epoch's model in OUT/model (a Hugging Face folder), logs OUT/metrics.jsonl and
// OUT/curves.svg, writes checkpoints (every save_steps, and when stop_requested says so)
// and resumes from them exactly.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <bertcls/classifier.h>
#include <bertcls/data.h>
#include <bertcls/error.h>
#include <bertcls/metrics.h>

namespace bertcls {

// A run without a model starts from its own texts: a WordPiece vocabulary learned from
// them, masked-LM pre-training on them, then fine-tuning (OUT/from-scratch holds the
// stages; pipeline/from_scratch.h). The defaults were measured on RuTweetCorp (README).
struct FromScratchOptions {
  std::size_t vocab_size = 8000;               // 0: the preset's own tokenizer
  std::vector<std::string> unlabelled_files;   // more texts for both stages (.csv/.tsv/.jsonl text column, else lines)
  std::int64_t pretrain_epochs = 0;            // 0: no pre-training, the classifier starts from new weights
  double pretrain_lr = 1e-3;
  std::size_t pretrain_batch_size = 32;        // sequences of pretrain_max_length tokens
  std::size_t pretrain_max_length = 128;
  double mlm_probability = 0.15;
};

struct FineTuneOptions {
  std::string model;                    // folder or hub name ORG/NAME; empty: from scratch
  std::string preset = "bert-tiny";     // from scratch: a bundled preset or a folder with config.json (+ tokenizer)
  std::string preset_dir;               // where bundled presets live (the CLI passes its data/)
  FromScratchOptions scratch;           // from scratch: the vocabulary and pre-training first
  std::vector<std::string> train_files;
  std::string valid_file;               // empty: hold out valid_split of the training data
  double valid_split = 0.1;
  std::string out;                      // the run folder
  DataOptions data;
  TextOptions text{512, LongTexts::Truncate, std::nullopt, WindowPooling::Mean};

  // Unset: the pretrained defaults (lr 2e-5, 2 epochs, no warm-up, no weight decay), or
  // from scratch the ones measured on RuTweetCorp (lr 1e-3, 6 epochs, warm-up ratio 0.1,
  // weight decay 0.01).
  std::optional<double> lr;
  std::optional<std::int64_t> epochs;
  std::optional<double> warmup_ratio;
  std::optional<double> weight_decay;
  std::int64_t warmup_steps = 0;        // > 0 wins over warmup_ratio
  std::size_t batch_size = 32;
  double adam_beta1 = 0.9, adam_beta2 = 0.999;
  std::optional<double> adam_eps;       // unset: 1e-8, or 1e-6 without bias correction
  bool bias_correction = true;          // false: transformers.AdamW(correct_bias=False)
  double max_grad_norm = 1.0;           // 0: no clipping
  std::int64_t grad_accum = 1;
  std::int64_t max_steps = 0;           // > 0: stop after this many optimizer steps
  bool balanced_class_weights = false;  // weight classes as sklearn's "balanced"
  std::uint64_t seed = 42;              // split, batch order, dropout and new weights
  SelectionMetric metric = SelectionMetric::Auto;
  std::int64_t patience = 0;            // > 0: stop after this many epochs without a better metric
  std::int64_t save_steps = 0;          // > 0: checkpoint every this many steps
  std::int64_t log_every = 50;          // steps between metrics.jsonl step records
  std::string resume;                   // a run folder or checkpoint to continue from
  // Data-parallel runs (mpirun -np N): each batch is cut into this many shards, summed in
  // a fixed order, so every process count up to grad_shards trains the same model bit for
  // bit. 0: the checkpoint's when resuming, else one shard per process (1 alone).
  std::int64_t grad_shards = 0;
  // ZeRO stage 1: each process keeps the AdamW moments of 1/N of the parameters; the
  // same model bit for bit, for one broadcast of the parameters per step.
  bool zero_optimizer = false;
  // Data-parallel: each process keeps only the texts it trains (example i goes to shard
  // i mod grad_shards); the same model. Needs valid_file and one window per text.
  bool shard_data = false;
  // The dense layers' products, forward and backward: BFloat16 rounds their operands to
  // bf16 and sums in fp32; weights, AdamW's moments, LayerNorm, softmax and the loss stay
  // fp32. Needs AVX512-BF16 or AMX-BF16 (else fine_tune throws, naming the feature).
  Precision precision = Precision::Float32;
};

struct FineTuneCallbacks {
  std::function<void(const std::string&)> on_message;  // what the run is doing, one line each
  std::function<void(const StepReport&)> on_step;
  std::function<void(const EpochReport&)> on_epoch;
  std::function<bool()> stop_requested;  // polled after each step: true saves a checkpoint and returns
};

struct FineTuneResult {
  std::string model_dir;             // OUT/model: the best epoch's model
  std::vector<EpochReport> epochs;   // those this call ran
  bool interrupted = false;          // stop_requested: continue with options.resume = out
  bool early_stopped = false;        // patience ran out
  std::int64_t step = 0;             // optimizer steps taken in the whole run
  bool reporter = true;              // false in the processes of a data-parallel run but rank 0
};

// Under mpirun (a build with MPI), every process calls it with the same options: each
// trains its shards of every batch, rank 0 alone writes OUT and calls the callbacks but
// stop_requested, whose rank-0 answer every process follows.
// Throws Error naming the file, line, field or option of anything wrong (a changed
// option on resume names it).
FineTuneResult fine_tune(const FineTuneOptions& options, const FineTuneCallbacks& callbacks = {});

}  // namespace bertcls
