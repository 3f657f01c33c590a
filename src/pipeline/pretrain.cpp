// bertcls::pretrain: run_mlm.py's run (corpus, token blocks, masking, the loop with
// checkpoints and resume, the run folder's records) as one library call.
#include <bertcls/pretrain.h>

#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "hf/hub_download.h"
#include "hf/model_folder.h"
#include "hf/pretrained.h"
#include "pipeline/kernel_precision.h"
#include "pipeline/preset_folder.h"
#include "pipeline/run_folder.h"
#include "pipeline/step_record.h"
#include "pipeline/text_files.h"
#include "text/tokenizer.h"
#include "tensor/matmul.h"
#include "train/pretrainer.h"

namespace bertcls {
namespace {

namespace fs = std::filesystem;

// What must not change between a run and its continuation.
nlohmann::json run_fingerprint(const PretrainOptions& o, const train::TrainerOptions& t, const train::TokenBlocks& blocks,
                               std::size_t parameters) {
  return {{"task", "masked_lm"},
          {"parameters", parameters},
          {"sequences", blocks.size()},
          {"tokens", blocks.tokens()},
          {"max_length", blocks.block_length()},
          {"mlm_probability", o.mlm_probability},
          {"whole_word_masking", o.whole_word_masking},
          {"epochs", t.epochs},
          {"batch_size", t.batch_size},
          {"lr", t.lr},
          {"weight_decay", t.adamw.weight_decay},
          {"warmup_steps", t.warmup_steps},
          {"warmup_ratio", t.warmup_ratio},
          {"max_grad_norm", t.max_grad_norm},
          {"grad_accum", t.grad_accum},
          {"max_steps", t.max_steps},
          {"seed", t.seed},
          {"precision", tensor::precision_name(t.precision)}};
}

train::TrainerOptions trainer_options(const PretrainOptions& o) {
  train::TrainerOptions t;
  t.epochs = o.epochs;
  t.batch_size = o.batch_size;
  t.lr = o.lr;
  t.adamw.weight_decay = o.weight_decay;
  t.warmup_steps = o.warmup_steps;
  t.warmup_ratio = o.warmup_steps > 0 ? 0.0 : o.warmup_ratio;
  t.max_grad_norm = static_cast<float>(o.max_grad_norm);
  t.grad_accum = o.grad_accum;
  t.max_steps = o.max_steps;
  t.seed = o.seed;
  t.save_steps = o.save_steps;
  t.precision = pipeline::kernel_precision(o.precision);
  return t;
}

// Every non-blank text of the files, encoded with the special tokens and no truncation.
train::TokenBlocks read_blocks(const std::vector<std::string>& files, const pipeline::TextFileOptions& read,
                               const text::Tokenizer& tokenizer, std::size_t block_length) {
  text::Tokenizer whole = tokenizer;
  whole.set_truncation(std::nullopt);
  whole.set_padding(std::nullopt);
  train::TokenBlocks blocks(block_length);
  for (const std::string& file : files) {
    std::vector<std::string> texts;
    pipeline::for_each_text(file, read, [&](std::string&& text) {
      if (text.find_first_not_of(" \t\r\n") != std::string::npos) texts.push_back(std::move(text));
    });
    for (const text::Encoding& e : whole.encode_batch(texts)) blocks.append(e);
  }
  blocks.finish();
  if (blocks.size() == 0) throw Error("pretrain: no text in " + nlohmann::json(files).dump());
  return blocks;
}

// Perplexity and tokens/s beside the loss (a full block has max_length tokens).
void add_mlm_fields(nlohmann::ordered_json& record, double loss, double samples_per_second, std::size_t block_length) {
  record["train_perplexity"] = std::exp(loss);
  record["tokens_per_second"] = samples_per_second * static_cast<double>(block_length);
}

}  // namespace

PretrainResult pretrain(const PretrainOptions& o, const FineTuneCallbacks& cb) {
  auto say = [&](const std::string& line) { if (cb.on_message) cb.on_message(line); };
  if (o.out.empty()) throw Error("pretrain: no output folder");
  if (o.text_files.empty()) throw Error("pretrain: no text files (--texts)");
  const train::TrainerOptions t = trainer_options(o);
  tensor::require_precision(t.precision, train::kPrecisionOption);  // before any data or model is read

  const fs::path source = o.model.empty() ? pipeline::preset_folder(o.preset, o.preset_dir)
                                          : hf::resolve_model(o.model, hf::HubSettings::from_environment());
  const fs::path source_config = source / "config.json";
  if (hf::read_model_config(source_config).bert.family != model::Family::bert)
    throw Error(source_config.string() + ": field \"model_type\": pretrain has the masked-LM head of bert only");
  std::optional<train::LoadedCheckpoint> checkpoint;
  if (!o.resume.empty()) checkpoint = train::read_checkpoint(train::find_checkpoint(o.resume));
  hf::ModelConfig config;
  std::unique_ptr<model::BertClassifier> model;
  if (checkpoint) {
    hf::PretrainedModel saved = hf::load_pretrained(checkpoint->dir / "model", {.labels = {}, .init_seed = 0, .head = model::Head::masked_lm});
    config = std::move(saved.config);
    model = std::make_unique<model::BertClassifier>(std::move(saved.weights));
    say("resuming from " + checkpoint->dir.string() + " (step " + std::to_string(checkpoint->resume.progress.step) + ")");
  } else if (o.model.empty()) {
    config = hf::read_model_config(source_config);
    config.bert.head = model::Head::masked_lm;
    model = std::make_unique<model::BertClassifier>(config.bert, o.seed);
    say("pre-training new weights in the shape of " + source.string() + " (no model given)");
  } else {
    hf::PretrainedModel pretrained = hf::load_pretrained(source, {.labels = {}, .init_seed = o.seed, .head = model::Head::masked_lm});
    for (const auto& w : pretrained.report.warnings(source.string())) say(w);
    config = std::move(pretrained.config);
    model = std::make_unique<model::BertClassifier>(std::move(pretrained.weights));
  }

  const text::Tokenizer tokenizer = text::Tokenizer::from_directory(source);
  const std::optional<std::int32_t> mask_id = tokenizer.token_to_id("[MASK]");
  if (!mask_id) throw Error(source.string() + ": the tokenizer has no [MASK] token");
  if (tokenizer.vocab_size() > model->config().vocab_size)
    throw Error(source.string() + ": the tokenizer has " + std::to_string(tokenizer.vocab_size()) +
                " tokens, the model's vocab_size is " + std::to_string(model->config().vocab_size));
  const std::size_t max_length = std::min(o.max_length, static_cast<std::size_t>(model->config().max_sequence_length()));
  const train::TokenBlocks blocks = read_blocks(o.text_files, {o.data, o.lines}, tokenizer, max_length);
  const train::MaskingOptions masking{.probability = o.mlm_probability,
                                      .whole_word = o.whole_word_masking,
                                      .mask_id = *mask_id,
                                      .vocab_size = tokenizer.vocab_size()};
  say(std::to_string(blocks.tokens()) + " tokens in " + std::to_string(blocks.size()) + " sequences of " +
      std::to_string(max_length) + (o.whole_word_masking ? ", whole-word masking" : ""));

  pipeline::RunFolder folder(o.out, run_fingerprint(o, t, blocks, model->parameters().size()),
                             checkpoint ? &*checkpoint : nullptr);
  const fs::path model_dir = folder.model_dir();
  train::MetricsLog& metrics = folder.metrics();

  train::TrainerCallbacks callbacks;
  callbacks.on_step = [&](const StepReport& r) {
    if (cb.on_step) cb.on_step(r);
    if (o.log_every <= 0 || r.step % o.log_every != 0) return;
    nlohmann::ordered_json record = pipeline::step_record(r);
    add_mlm_fields(record, r.loss, r.samples_per_second, max_length);
    metrics.append(record);
  };
  callbacks.on_epoch = [&](const EpochReport& r) {
    if (cb.on_epoch) cb.on_epoch(r);
    nlohmann::ordered_json record = {{"event", "epoch"}, {"epoch", r.epoch}, {"step", r.steps},
                                     {"train_loss", r.train_loss}, {"samples_per_second", r.samples_per_second}};
    add_mlm_fields(record, r.train_loss, r.samples_per_second, max_length);
    metrics.append(record);
    metrics.write_curves();
  };
  callbacks.on_best = [&](const model::BertClassifier& m) { hf::save_model_folder(config, m.weights(), &tokenizer, model_dir); };
  callbacks.on_checkpoint = [&](const train::TrainerSnapshot& snapshot) {
    const fs::path saved = folder.save_checkpoint(snapshot, config, &tokenizer);
    say("checkpoint saved to " + saved.string());
  };
  callbacks.stop_requested = cb.stop_requested;
  train::FitResult fitted = train::pretrain(*model, blocks, masking, t, callbacks, checkpoint ? &checkpoint->resume : nullptr);
  return {model_dir.string(), std::move(fitted.epochs), fitted.interrupted, fitted.progress.step, blocks.size(),
          blocks.tokens()};
}

}  // namespace bertcls
