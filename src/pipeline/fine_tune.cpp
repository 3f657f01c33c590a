// bertcls::fine_tune: the tutorial's whole run (data, model, encode, fit with checkpoints
// and resume, the run folder's records) as one library call.
#include <bertcls/fine_tune.h>

#include <algorithm>
#include <numeric>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "dist/communicator.h"
#include "hf/hub_download.h"
#include "hf/model_folder.h"
#include "hf/pretrained.h"
#include "pipeline/from_scratch.h"
#include "pipeline/kernel_precision.h"
#include "pipeline/sharded_data.h"
#include "pipeline/run_folder.h"
#include "pipeline/step_record.h"
#include "pipeline/text_encoder.h"
#include "pipeline/training_data.h"
#include "train/adamw.h"
#include "train/evaluation.h"
#include "tensor/matmul.h"
#include "train/trainer.h"

namespace bertcls {
namespace {

namespace fs = std::filesystem;

// The options that shape the trajectory, and the size of the data: what must not change
// between a run and its continuation. patience, save_steps and log_every may.
nlohmann::json run_fingerprint(const FineTuneOptions& o, const train::TrainerOptions& t, const std::vector<std::string>& labels,
                               std::size_t max_length, const train::EncodedExamples& train_encoded,
                               const train::EncodedExamples& valid_encoded, std::size_t parameters) {
  return {{"task", static_cast<int>(o.data.task)},
          {"labels", labels},
          {"parameters", parameters},
          {"train_examples", train_encoded.examples},
          {"train_tokens", std::accumulate(train_encoded.lengths.begin(), train_encoded.lengths.end(), std::size_t{0})},
          {"valid_examples", valid_encoded.examples},
          {"valid_tokens", valid_encoded.ids.size()},
          {"max_length", max_length},
          {"long_texts", static_cast<int>(o.text.long_texts)},
          {"epochs", t.epochs},
          {"batch_size", t.batch_size},
          {"lr", t.lr},
          {"weight_decay", t.adamw.weight_decay},
          {"adam_beta1", t.adamw.beta1},
          {"adam_beta2", t.adamw.beta2},
          {"adam_eps", t.adamw.eps},
          {"bias_correction", t.adamw.bias_correction},
          {"warmup_steps", t.warmup_steps},
          {"warmup_ratio", t.warmup_ratio},
          {"max_grad_norm", t.max_grad_norm},
          {"grad_accum", t.grad_accum},
          {"max_steps", t.max_steps},
          {"balanced_class_weights", t.balanced_class_weights},
          {"metric", static_cast<int>(t.metric)},
          {"seed", t.seed},
          {"grad_shards", t.grad_shards},
          {"precision", tensor::precision_name(t.precision)}};
}

nlohmann::ordered_json epoch_record(const EpochReport& r) {
  nlohmann::ordered_json line = {{"event", "epoch"},
                                 {"epoch", r.epoch},
                                 {"step", r.steps},
                                 {"train_loss", r.train_loss},
                                 {"samples_per_second", r.samples_per_second},
                                 {"best", r.best}};
  if (!r.valid) return line;
  line["valid_loss"] = r.valid->loss;
  switch (r.valid->task) {
    case Task::SingleLabel:
      line["valid_accuracy"] = r.valid->classification.accuracy;
      line["valid_f1_macro"] = r.valid->classification.macro.f1;
      break;
    case Task::MultiLabel:
      line["valid_subset_accuracy"] = r.valid->multilabel.subset_accuracy;
      line["valid_f1_micro"] = r.valid->multilabel.micro.f1;
      line["valid_f1_macro"] = r.valid->multilabel.macro.f1;
      break;
    case Task::Regression:
      line["valid_mse"] = r.valid->regression.mse;
      line["valid_mae"] = r.valid->regression.mae;
      line["valid_pearson"] = r.valid->regression.pearson;
      break;
  }
  return line;
}

// The tutorial's defaults (lr 2e-5, 2 epochs) suit a pretrained model; one that starts
// from random weights needs larger steps, a warm-up and more passes. Chosen on the whole
// RuTweetCorp split (bench/rutweetcorp_vs_fasttext.sh); options the caller set win.
train::TrainerOptions trainer_options(const FineTuneOptions& o, const FineTuneCallbacks& cb) {
  const bool scratch = o.model.empty();
  train::TrainerOptions t;
  std::string applied;
  auto pick = [&](const auto& given, auto pretrained, auto from_scratch, const char* name) {
    if (given) return *given;
    if (!scratch) return pretrained;
    applied += std::string(applied.empty() ? " " : ", ") + name + " " + nlohmann::json(from_scratch).dump();
    return from_scratch;
  };
  t.lr = pick(o.lr, 2e-5, 1e-3, "lr");
  t.epochs = pick(o.epochs, std::int64_t{2}, std::int64_t{6}, "epochs");
  t.warmup_ratio = o.warmup_steps > 0 ? 0.0 : pick(o.warmup_ratio, 0.0, 0.1, "warmup ratio");
  t.adamw.weight_decay = static_cast<float>(pick(o.weight_decay, 0.0, 0.01, "weight decay"));
  if (!applied.empty() && cb.on_message) cb.on_message("from-scratch defaults:" + applied);
  t.warmup_steps = o.warmup_steps;
  t.batch_size = o.batch_size;
  t.adamw.beta1 = static_cast<float>(o.adam_beta1);
  t.adamw.beta2 = static_cast<float>(o.adam_beta2);
  t.adamw.bias_correction = o.bias_correction;
  // transformers.AdamW's own default eps goes with its correct_bias=False.
  t.adamw.eps = static_cast<float>(
      o.adam_eps.value_or(o.bias_correction ? 1e-8 : train::AdamWOptions::transformers_no_bias_correction().eps));
  t.max_grad_norm = static_cast<float>(o.max_grad_norm);
  t.grad_accum = o.grad_accum;
  t.max_steps = o.max_steps;
  t.balanced_class_weights = o.balanced_class_weights;
  t.seed = o.seed;
  t.metric = o.metric;
  t.patience = o.patience;
  t.save_steps = o.save_steps;
  t.pooling = o.text.pooling;
  t.precision = pipeline::kernel_precision(o.precision);
  return t;
}

// The shard count the run keeps: given, or the checkpoint's, or one per process.
std::int64_t grad_shards(const FineTuneOptions& o, const std::optional<train::LoadedCheckpoint>& checkpoint, int processes) {
  if (o.grad_shards < 0) throw Error("grad_shards must not be negative");
  if (o.grad_shards > 0) return o.grad_shards;
  if (checkpoint) return checkpoint->info.run.value("grad_shards", std::int64_t{1});
  return processes;
}

FineTuneResult fine_tune_in(dist::Communicator& world, const FineTuneOptions& o, const FineTuneCallbacks& all_callbacks) {
  // Rank 0 writes and reports; the others train their shards and follow its stop.
  const bool writer = world.rank() == 0;
  FineTuneCallbacks cb;
  if (writer) cb = all_callbacks;
  cb.stop_requested = all_callbacks.stop_requested;
  auto say = [&](const std::string& line) { if (cb.on_message) cb.on_message(line); };
  if (o.out.empty()) throw Error("fine-tune: no output folder");
  if (o.train_files.empty()) throw Error("fine-tune: no training data");
  train::TrainerOptions t = trainer_options(o, cb);
  tensor::require_precision(t.precision, train::kPrecisionOption);  // before any data or model is read
  const bool scratch = o.model.empty();
  std::optional<train::LoadedCheckpoint> checkpoint;
  // A from-scratch run stopped before fine-tuning began has no checkpoint of its own yet:
  // it resumes its stages (pipeline/from_scratch.h).
  if (!o.resume.empty() && (!scratch || train::has_checkpoint(o.resume)))
    checkpoint = train::read_checkpoint(train::find_checkpoint(o.resume));
  t.grad_shards = grad_shards(o, checkpoint, world.size());
  if (o.shard_data && o.valid_file.empty())
    throw Error("--shard-data needs --valid FILE: every process evaluates on it, while a split would be held out of "
                "texts that only some processes keep");
  if (o.shard_data && o.text.long_texts == LongTexts::Chunk)
    throw Error("--shard-data needs one window per text: use --long-texts truncate");
  pipeline::TrainingData data = pipeline::read_training_data(o.train_files, o.valid_file, o.valid_split, o.data, o.seed, say);
  if (o.shard_data) pipeline::drop_others_texts(data.train, t.grad_shards, world);
  const int num_labels = static_cast<int>(data.labels.size());

  const fs::path model_dir = fs::path(o.out) / "model";
  pipeline::ScratchStart start;
  if (scratch) {
    const bool stages = o.scratch.vocab_size > 0 || o.scratch.pretrain_epochs > 0;
    if (world.size() > 1 && stages)
      throw Error("a data-parallel run starts from a model: learn the vocabulary and pre-train in one process "
                  "(bertcls vocab, bertcls pretrain) and give --model, or set --vocab-size 0 --pretrain-epochs 0");
    start = pipeline::start_from_scratch(o, data.train, !o.resume.empty(), cb);
    if (start.interrupted) return {model_dir.string(), {}, true, false, start.pretrain_step, writer};
  }
  const fs::path source = scratch ? start.folder : hf::resolve_model(o.model, hf::HubSettings::from_environment());
  t.world = &world;
  t.zero_optimizer = o.zero_optimizer;
  if (world.size() > 1)
    say("data-parallel over " + std::to_string(world.size()) + " processes, each batch in " +
        std::to_string(t.grad_shards) + " shards" +
        (o.grad_shards > 0 ? std::string() : " (set grad_shards to train identically with other process counts)"));
  hf::ModelConfig config;
  std::unique_ptr<model::BertClassifier> model;
  if (checkpoint) {
    hf::PretrainedModel saved = hf::load_pretrained(checkpoint->dir / "model", {.labels = data.labels});
    config = std::move(saved.config);
    model = std::make_unique<model::BertClassifier>(std::move(saved.weights));
    say("resuming from " + checkpoint->dir.string() + " (step " + std::to_string(checkpoint->resume.progress.step) + ")");
  } else if (scratch && !start.pretrained) {
    config = hf::read_model_config(source / "config.json");
    config.set_labels(data.labels);
    model = std::make_unique<model::BertClassifier>(config.bert, o.seed);
    say("training a " + o.preset + "-shaped model from new weights (no model given)");
  } else {
    hf::PretrainedModel pretrained = hf::load_pretrained(source, {.labels = data.labels, .init_seed = o.seed});
    for (const auto& w : pretrained.report.warnings(source.string())) say(w);
    config = std::move(pretrained.config);
    model = std::make_unique<model::BertClassifier>(std::move(pretrained.weights));
  }
  // The encoder's tokenizer is also the one saved with every model folder.
  const pipeline::TextEncoder encoder(text::Tokenizer::from_directory(source),
                                      static_cast<std::size_t>(model->config().max_sequence_length()), o.text);
  train::EncodedExamples train_encoded = encoder.encode(data.train, data.train_name);
  if (o.shard_data) pipeline::share_lengths(train_encoded, t.grad_shards, world);
  const train::EncodedExamples valid_encoded = encoder.encode(data.valid, data.valid_name);
  say(std::to_string(data.train.size()) + " training and " + std::to_string(data.valid.size()) + " validation examples, " +
      std::to_string(num_labels) + " labels, max length " + std::to_string(encoder.max_length()) +
      (train_encoded.size() > train_encoded.examples ? ", " + std::to_string(train_encoded.size()) + " training windows" : ""));

  nlohmann::json run = run_fingerprint(o, t, data.labels, encoder.max_length(), train_encoded, valid_encoded,
                                       model->parameters().size());
  if (scratch) run["from_scratch"] = pipeline::from_scratch_fingerprint(o);
  std::optional<pipeline::RunFolder> folder;  // rank 0 writes
  if (writer) folder.emplace(o.out, run, checkpoint ? &*checkpoint : nullptr);

  train::TrainerCallbacks callbacks;
  if (writer) {
    train::MetricsLog& metrics = folder->metrics();
    callbacks.on_step = [&](const StepReport& r) {
      if (cb.on_step) cb.on_step(r);
      if (o.log_every > 0 && r.step % o.log_every == 0) metrics.append(pipeline::step_record(r));
    };
    callbacks.on_epoch = [&](const EpochReport& r) {
      if (cb.on_epoch) cb.on_epoch(r);
      metrics.append(epoch_record(r));
      metrics.write_curves();
    };
    callbacks.on_best = [&](const model::BertClassifier& m) { hf::save_model_folder(config, m.weights(), &encoder.tokenizer(), model_dir); };
    callbacks.on_checkpoint = [&](const train::TrainerSnapshot& snapshot) {
      const fs::path saved = folder->save_checkpoint(snapshot, config, &encoder.tokenizer());
      say("checkpoint saved to " + saved.string());
    };
  }
  callbacks.stop_requested = cb.stop_requested;
  const train::EncodedDataset train_data{data.train, train_encoded};
  const train::EncodedDataset valid_data{data.valid, valid_encoded};
  train::FitResult fitted = train::fit(*model, o.data.task, num_labels, train_data, data.valid.empty() ? nullptr : &valid_data,
                                       t, callbacks, checkpoint ? &checkpoint->resume : nullptr);
  return {model_dir.string(), std::move(fitted.epochs), fitted.interrupted, fitted.early_stopped, fitted.progress.step,
          writer};
}

}  // namespace

FineTuneResult fine_tune(const FineTuneOptions& o, const FineTuneCallbacks& callbacks) {
  dist::Communicator& world = dist::world();
  if (world.size() == 1) return fine_tune_in(world, o, callbacks);
  // A process that stops on an error would leave the others waiting for its gradients.
  try {
    return fine_tune_in(world, o, callbacks);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bertcls: error (%s): %s\n", world.describe().c_str(), e.what());
    std::fflush(stderr);
    world.abort(1);
    throw;  // not reached: abort() ends this process
  }
}

}  // namespace bertcls
