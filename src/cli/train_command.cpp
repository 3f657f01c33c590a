// bertcls train: the tutorial in one command. Reads the data, builds or loads the model,
// fine-tunes with AdamW + linear warm-up + clipping, evaluates each epoch and keeps the
// best epoch's model as the output folder.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/commands.h"
#include "cli/data_options.h"
#include "common/error.h"
#include "io/bert_config_json.h"
#include "io/hub_download.h"
#include "model/bert_checkpoint.h"
#include "model/model_folder.h"
#include "cli/stop_signal.h"
#include "cli/train_progress.h"
#include "train/checkpoint.h"
#include "train/metrics_log.h"
#include "train/trainer.h"
#include "train/valid_split.h"

namespace bertcls::cli {
namespace {

namespace fs = std::filesystem;

struct TrainCommandOptions {
  std::string model;
  std::string preset = "rubert-tiny2";
  std::vector<std::string> train_paths;
  std::string valid_path, out;
  double valid_split = 0.1;
  std::size_t max_length = 512;
  bool no_bias_correction = false;
  bool adam_eps_given = false;
  std::string class_weights;
  std::string metric = "auto";
  std::string resume;
  std::int64_t log_every = 50;
  DataFlags data;
  train::TrainerOptions trainer;
};

std::vector<io::Example> subset(const std::vector<io::Example>& all, const std::vector<std::size_t>& indices) {
  std::vector<io::Example> out;
  out.reserve(indices.size());
  for (std::size_t i : indices) out.push_back(all[i]);
  return out;
}

std::string join_names(const std::vector<std::string>& paths) {
  std::string out;
  for (const std::string& p : paths) out += (out.empty() ? "" : " + ") + p;
  return out;
}

// Several training files are one dataset; their labels get ids from the union of all
// files' labels, so the order of the files does not change what a label's id is. Each
// file is read once, with ids of its own, which are then mapped by name.
io::Dataset read_training_files(const std::vector<std::string>& paths, const io::DatasetOptions& options) {
  std::vector<io::Dataset> parts;
  std::vector<std::string> names;
  for (const std::string& p : paths) {
    parts.push_back(io::read_dataset(p, options));
    report_skipped(p, parts.back());
    names.insert(names.end(), parts.back().labels.id2label().begin(), parts.back().labels.id2label().end());
  }
  io::Dataset all;
  all.task = options.task;
  if (options.task != io::Task::Regression)
    all.labels = options.labels ? *options.labels : io::LabelSet::from_observed(names);
  for (io::Dataset& d : parts) {
    auto union_id = [&](int id) { return all.labels.id_of(d.labels.name(id)); };
    if (options.task != io::Task::Regression)
      for (io::Example& ex : d.examples) {
        if (ex.label >= 0) ex.label = union_id(ex.label);
        for (int& id : ex.labels) id = union_id(id);
        std::sort(ex.labels.begin(), ex.labels.end());
      }
    all.skipped_rows += d.skipped_rows;
    all.examples.insert(all.examples.end(), std::make_move_iterator(d.examples.begin()),
                        std::make_move_iterator(d.examples.end()));
  }
  return all;
}

// What must not change between a run and its continuation: the options that shape the
// trajectory and the size of the data. --patience, --save-steps and --log-every may.
nlohmann::json run_fingerprint(const TrainCommandOptions& o, io::Task task, const std::vector<std::string>& labels,
                               std::size_t max_length, const train::EncodedExamples& train_encoded,
                               const train::EncodedExamples& valid_encoded, const model::BertClassifier& model) {
  const train::TrainerOptions& t = o.trainer;
  return {{"task", static_cast<int>(task)},
          {"labels", labels},
          {"parameters", model.parameters().size()},
          {"train_examples", train_encoded.size()},
          {"train_tokens", train_encoded.ids.size()},
          {"valid_examples", valid_encoded.size()},
          {"valid_tokens", valid_encoded.ids.size()},
          {"--max-length", max_length},
          {"--epochs", t.epochs},
          {"--batch-size", t.batch_size},
          {"--lr", t.lr},
          {"--weight-decay", t.adamw.weight_decay},
          {"--adam-beta1", t.adamw.beta1},
          {"--adam-beta2", t.adamw.beta2},
          {"--adam-eps", t.adamw.eps},
          {"--no-bias-correction", !t.adamw.bias_correction},
          {"--warmup-steps", t.warmup_steps},
          {"--warmup-ratio", t.warmup_ratio},
          {"--max-grad-norm", t.max_grad_norm},
          {"--grad-accum", t.grad_accum},
          {"--max-steps", t.max_steps},
          {"--class-weights", o.class_weights},
          {"--metric", o.metric},
          {"--seed", t.seed}};
}

nlohmann::ordered_json epoch_record(const train::EpochReport& r) {
  nlohmann::ordered_json line = {{"event", "epoch"},
                                 {"epoch", r.epoch},
                                 {"step", r.steps},
                                 {"train_loss", r.train_loss},
                                 {"samples_per_second", r.samples_per_second},
                                 {"best", r.best}};
  if (!r.valid) return line;
  line["valid_loss"] = r.valid->loss;
  switch (r.valid->task) {
    case io::Task::SingleLabel:
      line["valid_accuracy"] = r.valid->classification.accuracy;
      line["valid_f1_macro"] = r.valid->classification.macro.f1;
      break;
    case io::Task::MultiLabel:
      line["valid_subset_accuracy"] = r.valid->multilabel.subset_accuracy;
      line["valid_f1_micro"] = r.valid->multilabel.micro.f1;
      line["valid_f1_macro"] = r.valid->multilabel.macro.f1;
      break;
    case io::Task::Regression:
      line["valid_mse"] = r.valid->regression.mse;
      line["valid_mae"] = r.valid->regression.mae;
      line["valid_pearson"] = r.valid->regression.pearson;
      break;
  }
  return line;
}

// The offline default: an untrained model of a preset shape with the bundled vocabulary.
// A preset is a bundled folder's name, or any folder with config.json and tokenizer files.
fs::path preset_folder(const std::string& preset) {
  const fs::path own = fs::path(preset);
  if (preset.find('/') != std::string::npos) {
    if (!fs::exists(own / "config.json")) throw Error("--preset " + preset + ": no config.json in that folder");
    return own;
  }
  fs::path dir = fs::path(BERTCLS_DATA_DIR) / preset;
  if (!fs::exists(dir / "config.json"))
    throw Error("--preset " + preset + ": no such preset (known: rubert-tiny2, in " + BERTCLS_DATA_DIR +
                "; or give a folder with config.json and tokenizer files)");
  return dir;
}

// The tutorial's defaults (lr 2e-5, 2 epochs) suit a pretrained model; one that starts
// from random weights needs larger steps, a warm-up and more passes. Chosen on the whole
// RuTweetCorp split (bench/rutweetcorp_vs_fasttext.sh); options the user gave win.
void apply_from_scratch_defaults(TrainCommandOptions& o, const CLI::App& cmd) {
  std::string applied;
  auto set = [&](const char* flag, auto& value, auto preset, const char* shown) {
    if (cmd.count(flag) > 0) return;
    value = preset;
    applied += std::string(" ") + flag + " " + shown;
  };
  set("--lr", o.trainer.lr, 5e-4, "5e-4");
  set("--epochs", o.trainer.epochs, std::int64_t{5}, "5");
  if (cmd.count("--warmup-steps") == 0) set("--warmup-ratio", o.trainer.warmup_ratio, 0.1, "0.1");
  set("--weight-decay", o.trainer.adamw.weight_decay, 0.01, "0.01");
  if (!applied.empty()) std::fprintf(stderr, "bertcls: from-scratch defaults:%s\n", applied.c_str());
}

void run_train(TrainCommandOptions o) {
  io::DatasetOptions data = o.data.options();
  io::Dataset train_set = read_training_files(o.train_paths, data);
  const std::string train_name = join_names(o.train_paths);
  std::vector<io::Example> train_examples, valid_examples;
  std::string valid_name;
  if (!o.valid_path.empty()) {
    if (data.task != io::Task::Regression) data.labels = train_set.labels;
    io::Dataset valid_set = io::read_dataset(o.valid_path, data);
    report_skipped(o.valid_path, valid_set);
    train_examples = std::move(train_set.examples);
    valid_examples = std::move(valid_set.examples);
    valid_name = o.valid_path;
  } else if (o.valid_split > 0) {
    train::TrainValidSplit split = train::split_train_valid(train_set.examples, data.task, o.valid_split, o.trainer.seed);
    train_examples = subset(train_set.examples, split.train);
    valid_examples = subset(train_set.examples, split.valid);
    valid_name = train_name + " (--valid-split " + std::to_string(o.valid_split) + ")";
  } else {
    train_examples = std::move(train_set.examples);
  }
  std::vector<std::string> labels = train_set.labels.id2label();
  if (data.task == io::Task::Regression) labels = {"LABEL_0"};
  const int num_labels = static_cast<int>(labels.size());

  fs::path source = o.model.empty() ? preset_folder(o.preset)
                                    : io::resolve_model(o.model, io::HubSettings::from_environment());
  text::Tokenizer tokenizer = text::Tokenizer::from_directory(source);
  std::optional<train::LoadedCheckpoint> checkpoint;
  if (!o.resume.empty()) checkpoint = train::read_checkpoint(train::find_checkpoint(o.resume));
  std::unique_ptr<model::BertClassifier> model;
  if (checkpoint) {
    model = std::make_unique<model::BertClassifier>(
        model::load_pretrained(checkpoint->dir / "model", {.labels = labels}).model);
    std::fprintf(stderr, "bertcls: resuming from %s (step %lld)\n", checkpoint->dir.c_str(),
                 static_cast<long long>(checkpoint->resume.progress.step));
  } else if (o.model.empty()) {
    model::BertConfig config = io::read_bert_config(source / "config.json");
    config.id2label = labels;
    model = std::make_unique<model::BertClassifier>(config, o.trainer.seed);
    std::fprintf(stderr, "bertcls: training a %s-shaped model from scratch (no --model given)\n", o.preset.c_str());
  } else {
    model::PretrainedModel pretrained = model::load_pretrained(source, {.labels = labels, .init_seed = o.trainer.seed});
    for (const auto& w : pretrained.report.warnings(source.string())) std::fprintf(stderr, "bertcls: %s\n", w.c_str());
    model = std::make_unique<model::BertClassifier>(std::move(pretrained.model));
  }
  std::size_t max_length = std::min<std::size_t>(o.max_length, static_cast<std::size_t>(model->config().max_position_embeddings));

  train::EncodedExamples train_encoded = train::encode_examples(tokenizer, train_examples, max_length, train_name);
  train::EncodedExamples valid_encoded = train::encode_examples(tokenizer, valid_examples, max_length, valid_name);
  std::fprintf(stderr, "bertcls: %zu training and %zu validation examples, %d labels, max length %zu\n",
               train_examples.size(), valid_examples.size(), num_labels, max_length);

  if (o.no_bias_correction) {
    o.trainer.adamw.bias_correction = false;
    // transformers.AdamW's own default eps, unless the user chose one.
    if (!o.adam_eps_given) o.trainer.adamw.eps = train::AdamWOptions::transformers_no_bias_correction().eps;
  }
  if (o.class_weights == "balanced") o.trainer.balanced_class_weights = true;
  else if (!o.class_weights.empty()) throw Error("--class-weights: only 'balanced' is supported, got '" + o.class_weights + "'");
  o.trainer.metric = train::parse_selection_metric(o.metric);

  const nlohmann::json run = run_fingerprint(o, data.task, labels, max_length, train_encoded, valid_encoded, *model);
  std::optional<std::uint64_t> metrics_bytes;
  if (checkpoint) {
    train::check_same_run(checkpoint->info.run, run, checkpoint->dir);
    metrics_bytes = checkpoint->info.caller.at("metrics_bytes").get<std::uint64_t>();
  }
  fs::create_directories(o.out);
  // A fresh run must not leave an older run's checkpoint for a later --resume to pick.
  if (!checkpoint) train::remove_checkpoints(o.out);
  const fs::path model_dir = fs::path(o.out) / "model";
  train::MetricsLog metrics(o.out, metrics_bytes);
  TrainProgress progress(stderr, ::isatty(STDERR_FILENO) == 1, o.log_every);
  StopSignal stop;

  train::TrainerCallbacks callbacks;
  callbacks.on_step = [&](const train::StepReport& r) {
    progress.step(r);
    if (o.log_every > 0 && r.step % o.log_every == 0)
      metrics.append({{"event", "step"}, {"epoch", r.epoch}, {"step", r.step}, {"train_loss", r.loss},
                      {"lr", r.lr}, {"grad_norm", r.grad_norm}, {"samples_per_second", r.samples_per_second}});
  };
  callbacks.on_epoch = [&](const train::EpochReport& r) {
    progress.epoch(r);
    metrics.append(epoch_record(r));
    metrics.write_curves();
  };
  callbacks.on_best = [&](const model::BertClassifier& m) { model::save_model_folder(m, &tokenizer, model_dir); };
  callbacks.on_checkpoint = [&](const train::TrainerSnapshot& snapshot) {
    const fs::path saved = train::save_checkpoint(o.out, snapshot, &tokenizer, {run, {{"metrics_bytes", metrics.bytes()}}});
    progress.message("bertcls: checkpoint saved to " + saved.string());
  };
  callbacks.stop_requested = [&] { return stop.requested(); };
  const train::EncodedDataset train_data{train_examples, train_encoded};
  const train::EncodedDataset valid_data{valid_examples, valid_encoded};
  const train::FitResult result =
      train::fit(*model, data.task, num_labels, train_data, valid_examples.empty() ? nullptr : &valid_data, o.trainer,
                 callbacks, checkpoint ? &checkpoint->resume : nullptr);
  if (result.interrupted) {
    progress.message("bertcls: interrupted at step " + std::to_string(result.progress.step) +
                     "; to continue, run the same command with --resume " + o.out);
    throw CLI::RuntimeError(130);
  }
  if (result.early_stopped)
    progress.message("bertcls: early stop: no better " + (o.metric == "auto" ? std::string("validation score") : o.metric) +
                     " for " + std::to_string(o.trainer.patience) + " epochs");
  std::printf("%s\n", model_dir.c_str());
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto o = std::make_shared<TrainCommandOptions>();
  auto& t = o->trainer;
  CLI::App* cmd = app.add_subcommand("train", "Fine-tune a BERT classifier; the best epoch's model goes to OUT/model");
  cmd->add_option("--model", o->model, "Model folder or hub name ORG/NAME (default: --preset from scratch)");
  cmd->add_option("--preset", o->preset, "Shape and vocabulary of a from-scratch model")->capture_default_str();
  cmd->add_option("--train", o->train_paths, "Training data (.csv, .tsv, .jsonl); several files are joined")
      ->required();
  cmd->add_option("--valid", o->valid_path, "Validation data (default: --valid-split of --train)");
  cmd->add_option("--valid-split", o->valid_split, "Stratified share of --train held out when no --valid")
      ->capture_default_str();
  cmd->add_option("--out", o->out, "Output folder: model/ (best epoch), metrics.jsonl, curves.svg, checkpoint-STEP/")->required();
  o->data.add_to(cmd);
  cmd->add_option("--epochs", t.epochs, "Passes over the training data (from scratch: 5)")->capture_default_str();
  cmd->add_option("--batch-size", t.batch_size, "Texts per batch")->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("--max-length", o->max_length, "Tokens per text, special tokens included")->capture_default_str();
  cmd->add_option("--lr", t.lr, "Peak learning rate (from scratch: 5e-4)")->capture_default_str();
  cmd->add_option("--weight-decay", t.adamw.weight_decay, "AdamW weight decay, not on biases and LayerNorm (from scratch: 0.01)")
      ->capture_default_str();
  cmd->add_option("--adam-beta1", t.adamw.beta1, "AdamW beta1")->capture_default_str();
  cmd->add_option("--adam-beta2", t.adamw.beta2, "AdamW beta2")->capture_default_str();
  cmd->add_option("--adam-eps", t.adamw.eps, "AdamW epsilon")->capture_default_str();
  cmd->add_flag("--no-bias-correction", o->no_bias_correction,
                "AdamW without bias correction, as transformers.AdamW(correct_bias=False) (eps 1e-6 unless --adam-eps)");
  cmd->add_option("--warmup-steps", t.warmup_steps, "Linear warm-up steps")->capture_default_str();
  cmd->add_option("--warmup-ratio", t.warmup_ratio, "Warm-up as a share of all steps (from scratch: 0.1)")->capture_default_str();
  cmd->add_option("--max-grad-norm", t.max_grad_norm, "Gradient clipping norm (0: none)")->capture_default_str();
  cmd->add_option("--grad-accum", t.grad_accum, "Batches per optimizer step")->capture_default_str();
  cmd->add_option("--max-steps", t.max_steps, "Stop after this many optimizer steps (0: no limit)")
      ->capture_default_str();
  cmd->add_option("--class-weights", o->class_weights, "'balanced': weight classes as sklearn does");
  cmd->add_option("--seed", t.seed, "Seed of the split, batch order, dropout and new weights")->capture_default_str();
  cmd->add_option("--metric", o->metric, "What picks the best epoch: accuracy, f1_macro, loss, auto")
      ->capture_default_str();
  cmd->add_option("--patience", t.patience, "Stop after this many epochs without a better --metric (0: never)")
      ->capture_default_str();
  cmd->add_option("--save-steps", t.save_steps, "Checkpoint every this many steps (0: only when interrupted)")
      ->capture_default_str();
  cmd->add_option("--resume", o->resume,
                  "Continue an interrupted run from its folder (or a checkpoint-STEP in it); give the same options");
  cmd->add_option("--log-every", o->log_every, "Optimizer steps between progress lines and metrics.jsonl records")
      ->capture_default_str();
  cmd->callback([o, cmd] {
    o->adam_eps_given = cmd->count("--adam-eps") > 0;
    if (o->model.empty()) apply_from_scratch_defaults(*o, *cmd);
    run_train(*o);
  });
}

}  // namespace bertcls::cli
