// bertcls pretrain: masked-LM pre-training, over bertcls::pretrain.
#include <bertcls/pretrain.h>

#include <cstdio>
#include <memory>

#include "cli/bundled_presets.h"
#include "cli/commands.h"
#include "cli/data_options.h"
#include "cli/run_console.h"

namespace bertcls::cli {

void add_pretrain_command(CLI::App& app) {
  auto o = std::make_shared<PretrainOptions>();
  auto files = std::make_shared<TextFileFlags>();
  CLI::App* cmd = app.add_subcommand(
      "pretrain", "Pre-train a BERT masked language model on plain text; the model goes to OUT/model (BertForMaskedLM)");
  cmd->add_option("--model", o->model, "BERT folder or hub name ORG/NAME to continue from (default: --preset from scratch)");
  cmd->add_option("--preset", o->preset, "Shape and tokenizer of a from-scratch model: rubert-tiny2 (bundled) or a folder with config.json and tokenizer files")
      ->capture_default_str();
  cmd->add_option("--texts", o->text_files, "Text files: one text per line, or the text column of .csv, .tsv, .jsonl files")
      ->required();
  files->add_to(cmd, o->data);
  cmd->add_option("--out", o->out, "Output folder: model/, metrics.jsonl, curves.svg, checkpoint-STEP/")->required();
  cmd->add_option("--max-length", o->max_length, "Tokens per sequence: the texts are joined and cut into these")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--mlm-probability", o->mlm_probability, "Share of the tokens to predict")->capture_default_str();
  cmd->add_flag("--whole-word-masking", o->whole_word_masking, "Mask whole words (a word's ## pieces with it)");
  cmd->add_option("--epochs", o->epochs, "Passes over the text")->capture_default_str();
  cmd->add_option("--batch-size", o->batch_size, "Sequences per batch")->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("--lr", o->lr, "Peak learning rate")->capture_default_str();
  cmd->add_option("--weight-decay", o->weight_decay, "AdamW weight decay, not on biases and LayerNorm")->capture_default_str();
  cmd->add_option("--warmup-steps", o->warmup_steps, "Linear warm-up steps")->capture_default_str();
  cmd->add_option("--warmup-ratio", o->warmup_ratio, "Warm-up as a share of all steps")->capture_default_str();
  cmd->add_option("--max-grad-norm", o->max_grad_norm, "Gradient clipping norm (0: none)")->capture_default_str();
  cmd->add_option("--grad-accum", o->grad_accum, "Batches per optimizer step")->capture_default_str();
  cmd->add_option("--max-steps", o->max_steps, "Stop after this many optimizer steps (0: no limit)")->capture_default_str();
  cmd->add_option("--seed", o->seed, "Seed of the batch order, masks, dropout and new weights")->capture_default_str();
  cmd->add_option("--save-steps", o->save_steps, "Checkpoint every this many steps (0: only when interrupted)")
      ->capture_default_str();
  cmd->add_option("--resume", o->resume,
                  "Continue an interrupted run from its folder (or a checkpoint-STEP in it); give the same options");
  cmd->add_option("--log-every", o->log_every, "Optimizer steps between progress lines and metrics.jsonl records")
      ->capture_default_str();
  add_precision_option(cmd, o->precision,
                       "Dense layers' products, forward and backward: fp32, or bf16 with fp32 weights, optimizer and "
                       "sums (AVX512-BF16 or AMX CPUs)");
  cmd->callback([o, files] {
    files->apply(o->data, o->lines);
    o->preset_dir = bundled_presets_dir(o->preset);
    RunConsole console(o->log_every);
    const PretrainResult result = pretrain(*o, console.callbacks());
    if (result.interrupted) console.interrupted(result.step, o->out);
    std::printf("%s\n", result.model_dir.c_str());
  });
}

}  // namespace bertcls::cli
