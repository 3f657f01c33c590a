#include "train/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <optional>

#include <bertcls/error.h>
#include "tensor/matmul.h"
#include "train/batching.h"
#include "train/class_weights.h"
#include "train/data_parallel.h"
#include "train/trainer_adamw.h"
#include "train/grad_clip.h"
#include "train/grad_mean.h"
#include "train/lr_schedule.h"
#include "train/training_plan.h"

namespace bertcls::train {

namespace {

// The word embeddings are lazy in rows: a step updates those of its batches' tokens.
std::vector<ParamSegment> segments_of(const model::BertClassifier& model) {
  const auto word_embeddings = static_cast<std::size_t>(model.tensors().wte - model.parameters().data());
  std::vector<ParamSegment> segments;
  for (const model::NamedParameter& p : model.named_parameters())
    // A fixed tensor gets no gradient and no decay, so AdamW leaves it bit for bit.
    segments.push_back({p.name, p.offset, p.count, p.trainable && trainer_applies_weight_decay(p.name),
                        p.offset == word_embeddings ? static_cast<std::size_t>(model.config().embedding_width()) : 0});
  return segments;
}

// Distinct dropout streams per batch of the run.
std::uint64_t dropout_seed(std::uint64_t seed, std::int64_t batch_number) {
  return seed * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(batch_number) + 1;
}

void check_options(Task task, const EncodedDataset& train, const EncodedDataset* valid,
                   const TrainerOptions& options) {
  if (train.examples.size() != train.encoded.examples || (valid && valid->examples.size() != valid->encoded.examples))
    throw Error("fit: examples and encodings differ in number");
  if (options.batch_size == 0) throw Error("batch_size must be at least 1");
  if (!(options.lr >= 0.0)) throw Error("lr must not be negative");
  if (options.patience < 0) throw Error("patience must not be negative");
  tensor::require_precision(options.precision, kPrecisionOption);
  if (options.save_steps < 0) throw Error("save_steps must not be negative");
  if (options.grad_shards < 1) throw Error("grad_shards must be at least 1");
  if (options.patience > 0 && !valid) throw Error("patience needs validation data (valid or valid_split)");
  check_selection_metric(options.metric, task);
}

std::vector<float> class_weights_for(Task task, const EncodedDataset& train, int num_labels,
                                     const TrainerOptions& options) {
  if (!options.balanced_class_weights) return {};
  if (task != Task::SingleLabel) throw Error("class_weights balanced needs single-label data");
  std::vector<int> labels;
  for (std::size_t w = 0; w < train.encoded.size(); ++w) labels.push_back(train.examples[train.encoded.example_of[w]].label);
  return balanced_class_weights(labels, num_labels);
}

// Rank 0's answer for every rank: the processes stop after the same step, or the ones
// still training would wait for the others forever.
bool stop_everywhere(dist::Communicator& world, bool stop) {
  if (world.size() == 1) return stop;
  std::vector<std::byte> flag{std::byte{stop}};
  world.broadcast(0, flag);
  return flag.at(0) != std::byte{0};
}

void check_resume_point(const ResumePoint& resume, const TrainingPlan& plan) {
  const TrainerProgress& p = resume.progress;
  if (p.step < 0 || p.step > plan.total_steps || p.epoch < 0 || p.epoch >= plan.epochs || p.next_batch < 0 ||
      p.next_batch > plan.batches_per_epoch || p.batch_number < 0)
    throw Error("the checkpoint (step " + std::to_string(p.step) + ", epoch " + std::to_string(p.epoch + 1) +
                ") does not fit this run's plan of " + std::to_string(plan.total_steps) + " steps in " +
                std::to_string(plan.epochs) + " epochs");
}

}  // namespace

TrainingPlan plan_of(const TrainerOptions& options, std::size_t sequences) {
  const auto batches_per_epoch = static_cast<std::int64_t>((sequences + options.batch_size - 1) / options.batch_size);
  return plan_training({.batches_per_epoch = batches_per_epoch,
                        .epochs = options.epochs,
                        .grad_accum = options.grad_accum,
                        .max_steps = options.max_steps,
                        .warmup_steps = options.warmup_steps,
                        .warmup_ratio = options.warmup_ratio});
}

StepReport step_report(const TrainerProgress& p, std::int64_t epochs, std::int64_t total_steps,
                       std::int64_t batches_per_epoch, double lr, float grad_norm) {
  return {.epoch = p.epoch + 1,
          .epochs = epochs,
          .step = p.step,
          .total_steps = total_steps,
          .batch = p.next_batch,
          .batches_per_epoch = batches_per_epoch,
          .loss = p.epoch_loss_sum / static_cast<double>(std::max<std::int64_t>(1, p.epoch_batches)),
          .lr = lr,
          .grad_norm = grad_norm,
          .samples_per_second = static_cast<double>(p.epoch_samples) / std::max(1e-9, p.epoch_seconds)};
}

EpochReport finish_epoch(TrainerProgress& p) {
  EpochReport report;
  report.epoch = p.epoch + 1;
  report.steps = p.step;
  report.train_loss = p.epoch_loss_sum / static_cast<double>(std::max<std::int64_t>(1, p.epoch_batches));
  report.seconds = p.epoch_seconds;
  report.samples_per_second = static_cast<double>(p.epoch_samples) / std::max(1e-9, report.seconds);
  p.next_batch = 0;
  p.epoch_loss_sum = 0.0;
  p.epoch_batches = p.epoch_samples = 0;
  p.epoch_seconds = 0.0;
  return report;
}

FitResult fit(model::BertClassifier& model, Task task, int num_labels, const EncodedDataset& train,
              const EncodedDataset* valid, const TrainerOptions& options, const TrainerCallbacks& callbacks,
              const ResumePoint* resume) {
  check_options(task, train, valid, options);
  prepare_head(model.weights(), task, num_labels);
  const std::vector<float> class_weights = class_weights_for(task, train, num_labels, options);

  const TrainingPlan plan = plan_of(options, train.encoded.size());
  const LinearWarmupSchedule schedule{options.lr, plan.warmup_steps, plan.total_steps};
  const std::vector<ParamSegment> segments = segments_of(model);
  std::unique_ptr<dist::Communicator> local_world;
  dist::Communicator& world = options.world ? *options.world : *(local_world = dist::single_process());
  TrainerAdamW adamw(segments, model.parameters().size(), options.adamw, world, options.zero_optimizer);

  FitResult result;
  TrainerProgress& p = result.progress;
  if (resume) {
    check_resume_point(*resume, plan);
    adamw.restore(resume->exp_avg, resume->exp_avg_sq, resume->progress.step);
    p = resume->progress;
  }
  std::optional<DataParallelBatches> parallel;
  if (options.grad_shards > 1 || world.size() > 1) parallel.emplace(model, world, options.grad_shards, segments, options.precision);
  // Sharded, the gradient of a step is the shards' sum, not what backward() accumulated.
  auto gradient = [&] { return parallel ? parallel->sum().values() : model.grads(); };
  auto touched_rows = [&] { return parallel ? parallel->sum().rows() : model.workspace().touched_word_rows(); };
  model::Batch batch;
  model.zero_grad();
  double step_start_seconds = world.seconds();  // communication totals when the step began
  std::uint64_t step_start_bytes = world.bytes_sent();
  // An epoch whose last step is taken but whose evaluation is not done yet still runs.
  for (; p.epoch < plan.epochs && (p.step < plan.total_steps || p.next_batch > 0); ++p.epoch) {
    const auto start = std::chrono::steady_clock::now();
    const double seconds_before = p.epoch_seconds;
    auto update_seconds = [&] {
      p.epoch_seconds = seconds_before + std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    const std::vector<Batch> batches = make_train_batches(train.encoded.lengths, options.batch_size, options.seed,
                                                          static_cast<std::uint64_t>(p.epoch));
    while (p.next_batch < static_cast<std::int64_t>(batches.size()) && p.step < plan.total_steps) {
      const std::int64_t b = p.next_batch++;
      const Batch& indices = batches[static_cast<std::size_t>(b)];
      const std::uint64_t seed = dropout_seed(options.seed, p.batch_number++);
      if (parallel) {
        p.epoch_loss_sum += parallel->run(indices, train.encoded, train.examples, task, num_labels, class_weights, seed, adamw);
      } else {
        fill_batch(batch, indices, train.encoded, &train.examples, task, num_labels);
        adamw.catch_up(model.parameters(), batch.ids);
        model.forward(batch, {.dropout = true, .backward = true, .seed = seed, .precision = options.precision});
        p.epoch_loss_sum += model.loss(batch, class_weights);
        model.backward();
      }
      p.epoch_samples += static_cast<std::int64_t>(indices.size());
      ++p.epoch_batches;
      if (!plan.steps_after(b)) continue;

      const std::span<float> grads = gradient();
      const std::span<const std::int32_t> rows = touched_rows();
      if (const auto group = plan.group_size(b); group > 1) divide_by_group(grads, segments, group, rows);
      const float norm = options.max_grad_norm > 0.0f ? clip_grad_norm(grads, segments, options.max_grad_norm, rows)
                                                      : global_grad_norm(grads, segments, rows);
      // Clipping by a NaN norm made every gradient NaN, the untouched rows' zeros too.
      if (options.max_grad_norm > 0.0f && std::isnan(norm)) {
        if (parallel) parallel->sum().touch_all_rows();
        else model.workspace().touch_all_word_rows();
      }
      const double lr = schedule.lr(p.step);
      adamw.step(model.parameters(), grads, lr, touched_rows());
      if (parallel) parallel->sum().clear();
      model.zero_grad();
      ++p.step;
      update_seconds();
      if (callbacks.on_step) {
        StepReport report = step_report(p, plan.epochs, plan.total_steps, static_cast<std::int64_t>(batches.size()), lr, norm);
        report.communication_seconds = world.seconds() - step_start_seconds;
        report.bytes_sent = world.bytes_sent() - step_start_bytes;
        callbacks.on_step(report);
      }
      step_start_seconds = world.seconds();
      step_start_bytes = world.bytes_sent();
      const bool stop = stop_everywhere(world, callbacks.stop_requested && callbacks.stop_requested());
      const bool save = options.save_steps > 0 && p.step % options.save_steps == 0;
      // Every process takes part in assembling the state (ZeRO's shares); rank 0 saves it.
      if (save || stop) {
        const AdamW* state = adamw.whole_state(model.parameters());
        if (state && callbacks.on_checkpoint) callbacks.on_checkpoint({model, *state, p});
      }
      if (stop) {
        result.interrupted = true;
        return result;
      }
    }
    // Evaluation, the callbacks and the caller see every row up to date.
    adamw.flush(model.parameters());
    update_seconds();

    EpochReport report = finish_epoch(p);
    if (valid)
      report.valid = evaluate(model.weights(), model.workspace(), valid->examples, valid->encoded, task,
                              options.batch_size, options.pooling, world.size() > 1 ? &world : nullptr);
    const double score = report.valid ? report.valid->score(options.metric) : static_cast<double>(report.epoch);
    report.best = !p.best_score || score > *p.best_score;
    if (report.best) {
      p.best_score = score;
      p.epochs_without_improvement = 0;
    } else {
      ++p.epochs_without_improvement;
    }
    if (callbacks.on_epoch) callbacks.on_epoch(report);
    if (report.best && callbacks.on_best) callbacks.on_best(model);
    result.epochs.push_back(std::move(report));
    if (options.patience > 0 && p.epochs_without_improvement >= options.patience) {
      result.early_stopped = true;
      ++p.epoch;
      break;
    }
  }
  return result;
}

}  // namespace bertcls::train
