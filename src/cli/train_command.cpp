// bertcls train: the tutorial in one command, over bertcls::fine_tune.
#include <bertcls/fine_tune.h>

#include <cstdio>
#include <map>
#include <memory>

#include "cli/bundled_presets.h"
#include "cli/commands.h"
#include "cli/data_options.h"
#include "cli/run_console.h"

namespace bertcls::cli {
namespace {

struct TrainCommandOptions {
  FineTuneOptions run;
  DataFlags data;
  TextFlags text;
  double lr = 2e-5, warmup_ratio = 0.0, weight_decay = 0.0, adam_eps = 1e-8;
  std::int64_t epochs = 2;
  bool no_bias_correction = false;
  std::string class_weights;
};

void run_train(TrainCommandOptions& o, const CLI::App& cmd) {
  FineTuneOptions& run = o.run;
  run.data = o.data.resolved();
  run.text = o.text.resolved(cmd);
  auto given = [&](const char* flag) { return cmd.count(flag) > 0; };
  if (given("--lr")) run.lr = o.lr;
  if (given("--epochs")) run.epochs = o.epochs;
  if (given("--warmup-ratio")) run.warmup_ratio = o.warmup_ratio;
  if (given("--weight-decay")) run.weight_decay = o.weight_decay;
  if (given("--adam-eps")) run.adam_eps = o.adam_eps;
  run.bias_correction = !o.no_bias_correction;
  run.balanced_class_weights = o.class_weights == "balanced";
  run.preset_dir = bundled_presets_dir(run.preset);

  RunConsole console(run.log_every);
  const FineTuneResult result = fine_tune(run, console.callbacks());
  if (!result.reporter) {  // another process of a data-parallel run reports
    if (result.interrupted) throw CLI::RuntimeError(130);
    return;
  }
  if (result.interrupted) console.interrupted(result.step, run.out);
  if (result.early_stopped)
    console.message("early stop: no better validation score for " + std::to_string(run.patience) + " epochs");
  std::printf("%s\n", result.model_dir.c_str());
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto o = std::make_shared<TrainCommandOptions>();
  FineTuneOptions& r = o->run;
  CLI::App* cmd = app.add_subcommand("train", "Fine-tune a BERT classifier; the best epoch's model goes to OUT/model");
  cmd->add_option("--model", r.model, "Model folder or hub name ORG/NAME (default: --preset from scratch)");
  cmd->add_option("--preset", r.preset, "Shape of a from-scratch model: bert-tiny, bert-mini, bert-small, rubert-tiny2 (bundled) or a folder with config.json")
      ->capture_default_str();
  cmd->add_option("--vocab-size", r.scratch.vocab_size,
                  "From scratch: learn a WordPiece vocabulary of this many tokens from the texts (0: the preset's own)")
      ->capture_default_str();
  cmd->add_option("--unlabelled", r.scratch.unlabelled_files,
                  "From scratch: more texts for the vocabulary and pre-training (lines, or a .csv/.tsv/.jsonl text column)");
  cmd->add_option("--pretrain-epochs", r.scratch.pretrain_epochs,
                  "From scratch: masked-LM pre-training passes over the texts before fine-tuning (0: none)")
      ->capture_default_str();
  cmd->add_option("--pretrain-lr", r.scratch.pretrain_lr, "From scratch: pre-training's peak learning rate")
      ->capture_default_str();
  cmd->add_option("--pretrain-batch-size", r.scratch.pretrain_batch_size, "From scratch: pre-training's sequences per batch")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--pretrain-max-length", r.scratch.pretrain_max_length,
                  "From scratch: pre-training's tokens per sequence (texts are joined and cut)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--train", r.train_files, "Training data (.csv, .tsv, .jsonl); several files are joined")->required();
  cmd->add_option("--valid", r.valid_file, "Validation data (default: --valid-split of --train)");
  cmd->add_option("--valid-split", r.valid_split, "Stratified share of --train held out when no --valid")
      ->capture_default_str();
  cmd->add_option("--out", r.out, "Output folder: model/ (best epoch), metrics.jsonl, curves.svg, checkpoint-STEP/")
      ->required();
  o->data.add_to(cmd);
  o->text.add_to(cmd, 512);
  cmd->add_option("--epochs", o->epochs, "Passes over the training data (from scratch: 6)")->capture_default_str();
  cmd->add_option("--batch-size", r.batch_size, "Texts per batch")->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("--lr", o->lr, "Peak learning rate (from scratch: 1e-3)")->capture_default_str();
  cmd->add_option("--weight-decay", o->weight_decay, "AdamW weight decay, not on biases and LayerNorm (from scratch: 0.01)")
      ->capture_default_str();
  cmd->add_option("--adam-beta1", r.adam_beta1, "AdamW beta1")->capture_default_str();
  cmd->add_option("--adam-beta2", r.adam_beta2, "AdamW beta2")->capture_default_str();
  cmd->add_option("--adam-eps", o->adam_eps, "AdamW epsilon")->capture_default_str();
  cmd->add_flag("--no-bias-correction", o->no_bias_correction,
                "AdamW without bias correction, as transformers.AdamW(correct_bias=False) (eps 1e-6 unless --adam-eps)");
  cmd->add_option("--warmup-steps", r.warmup_steps, "Linear warm-up steps")->capture_default_str();
  cmd->add_option("--warmup-ratio", o->warmup_ratio, "Warm-up as a share of all steps (from scratch: 0.1)")
      ->capture_default_str();
  cmd->add_option("--max-grad-norm", r.max_grad_norm, "Gradient clipping norm (0: none)")->capture_default_str();
  cmd->add_option("--grad-accum", r.grad_accum, "Batches per optimizer step")->capture_default_str();
  cmd->add_option("--max-steps", r.max_steps, "Stop after this many optimizer steps (0: no limit)")->capture_default_str();
  cmd->add_option("--class-weights", o->class_weights, "'balanced': weight classes as sklearn does")
      ->check(CLI::IsMember({"balanced"}));
  cmd->add_option("--seed", r.seed, "Seed of the split, batch order, dropout and new weights")->capture_default_str();
  cmd->add_option("--metric", r.metric, "What picks the best epoch: accuracy, f1_macro, loss, auto")
      ->transform(CLI::CheckedTransformer(std::map<std::string, SelectionMetric>{{"auto", SelectionMetric::Auto},
                                                                                 {"accuracy", SelectionMetric::Accuracy},
                                                                                 {"f1_macro", SelectionMetric::F1Macro},
                                                                                 {"loss", SelectionMetric::Loss}}))
      ->default_str("auto");
  cmd->add_option("--patience", r.patience, "Stop after this many epochs without a better --metric (0: never)")
      ->capture_default_str();
  cmd->add_option("--save-steps", r.save_steps, "Checkpoint every this many steps (0: only when interrupted)")
      ->capture_default_str();
  cmd->add_option("--resume", r.resume,
                  "Continue an interrupted run from its folder (or a checkpoint-STEP in it); give the same options");
  cmd->add_option("--grad-shards", r.grad_shards,
                  "Cut each batch into this many shards summed in a fixed order: runs under mpirun -np N give the "
                  "same model for every N up to it (0: one per process, or the checkpoint's on --resume)")
      ->capture_default_str();
  cmd->add_flag("--zero-optimizer", r.zero_optimizer,
                "ZeRO stage 1: each process keeps the optimizer state of 1/N of the parameters (same results)");
  cmd->add_flag("--shard-data", r.shard_data,
                "Each process keeps only the training texts it trains (needs --valid; same results)");
  cmd->add_option("--log-every", r.log_every, "Optimizer steps between progress lines and metrics.jsonl records")
      ->capture_default_str();
  add_precision_option(cmd, r.precision,
                       "Dense layers' products, forward and backward: fp32, or bf16 with fp32 weights, optimizer and "
                       "sums (AVX512-BF16 or AMX CPUs)");
  cmd->callback([o, cmd] { run_train(*o, *cmd); });
}

}  // namespace bertcls::cli
