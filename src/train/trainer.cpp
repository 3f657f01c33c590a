#include "train/trainer.h"

#include <chrono>
#include <cstdio>

#include "common/error.h"
#include "train/batching.h"
#include "train/class_weights.h"
#include "train/grad_clip.h"
#include "train/lr_schedule.h"
#include "train/training_plan.h"

namespace bertcls::train {

namespace {

std::vector<ParamSegment> segments_of(const model::BertClassifier& model) {
  std::vector<ParamSegment> segments;
  for (const model::NamedParameter& p : model.named_parameters())
    segments.push_back({p.name, p.offset, p.count, trainer_applies_weight_decay(p.name)});
  return segments;
}

// Distinct dropout streams per batch of the run.
std::uint64_t dropout_seed(std::uint64_t seed, std::int64_t batch_number) {
  return seed * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(batch_number) + 1;
}

}  // namespace

std::vector<EpochReport> fit(model::BertClassifier& model, io::Task task, int num_labels, const EncodedDataset& train,
                             const EncodedDataset* valid, const TrainerOptions& options,
                             const TrainerCallbacks& callbacks) {
  if (train.examples.size() != train.encoded.size() || (valid && valid->examples.size() != valid->encoded.size()))
    throw Error("fit: examples and encodings differ in number");
  if (options.batch_size == 0) throw Error("--batch-size must be at least 1");
  if (!(options.lr >= 0.0)) throw Error("--lr must not be negative");
  prepare_head(model, task, num_labels);

  std::vector<float> class_weights;
  if (options.balanced_class_weights) {
    if (task != io::Task::SingleLabel) throw Error("--class-weights balanced needs single-label data");
    std::vector<int> labels;
    for (const io::Example& ex : train.examples) labels.push_back(ex.label);
    class_weights = balanced_class_weights(labels, num_labels);
  }

  const auto batches_per_epoch = static_cast<std::int64_t>((train.encoded.size() + options.batch_size - 1) / options.batch_size);
  const TrainingPlan plan = plan_training({.batches_per_epoch = batches_per_epoch,
                                           .epochs = options.epochs,
                                           .grad_accum = options.grad_accum,
                                           .max_steps = options.max_steps,
                                           .warmup_steps = options.warmup_steps,
                                           .warmup_ratio = options.warmup_ratio});
  const LinearWarmupSchedule schedule{options.lr, plan.warmup_steps, plan.total_steps};
  const std::vector<ParamSegment> segments = segments_of(model);
  AdamW adamw(segments, options.adamw);
  auto log = [&](const std::string& line) {
    if (callbacks.log) callbacks.log(line);
  };

  std::vector<EpochReport> reports;
  std::optional<double> best_score;
  std::int64_t step = 0, batch_number = 0;
  model::Batch batch;
  model.zero_grad();
  for (std::int64_t epoch = 0; epoch < plan.epochs && step < plan.total_steps; ++epoch) {
    const auto start = std::chrono::steady_clock::now();
    const std::vector<Batch> batches = make_train_batches(train.encoded.lengths, options.batch_size, options.seed,
                                                          static_cast<std::uint64_t>(epoch));
    EpochReport report;
    report.epoch = epoch + 1;
    double loss_sum = 0.0;
    std::size_t samples = 0, batches_done = 0;
    for (std::int64_t b = 0; b < static_cast<std::int64_t>(batches.size()) && step < plan.total_steps; ++b) {
      fill_batch(batch, batches[static_cast<std::size_t>(b)], train.encoded, &train.examples, task, num_labels);
      model.forward(batch, {.dropout = true, .backward = true, .seed = dropout_seed(options.seed, batch_number++)});
      loss_sum += model.loss(batch, class_weights);
      model.backward();
      samples += batches[static_cast<std::size_t>(b)].size();
      ++batches_done;
      if (!plan.steps_after(b)) continue;

      std::span<float> grads = model.grads();
      if (const auto group = plan.group_size(b); group > 1)
        for (float& g : grads) g /= static_cast<float>(group);
      const float norm = options.max_grad_norm > 0.0f ? clip_grad_norm(grads, segments, options.max_grad_norm)
                                                      : global_grad_norm(grads, segments);
      const double lr = schedule.lr(step);
      adamw.step(model.parameters(), grads, lr);
      model.zero_grad();
      ++step;
      if (options.log_every > 0 && (step % options.log_every == 0 || step == plan.total_steps)) {
        char line[200];
        std::snprintf(line, sizeof line, "epoch %lld step %lld/%lld loss %.4f lr %.3g grad-norm %.3f",
                      static_cast<long long>(epoch + 1), static_cast<long long>(step),
                      static_cast<long long>(plan.total_steps), loss_sum / static_cast<double>(batches_done), lr, norm);
        log(line);
      }
    }
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    report.steps = step;
    report.train_loss = loss_sum / static_cast<double>(std::max<std::size_t>(1, batches_done));
    report.seconds = elapsed.count();
    report.samples_per_second = static_cast<double>(samples) / std::max(1e-9, report.seconds);
    if (valid) report.valid = evaluate(model, valid->examples, valid->encoded, task, options.batch_size);
    const double score = report.valid ? report.valid->score() : static_cast<double>(report.epoch);
    report.best = !best_score || score > *best_score;
    if (report.best) best_score = score;

    char line[300];
    std::snprintf(line, sizeof line, "epoch %lld done: train loss %.4f, %.1f samples/s%s%s%s",
                  static_cast<long long>(report.epoch), report.train_loss, report.samples_per_second,
                  report.valid ? ", valid " : "", report.valid ? report.valid->summary().c_str() : "",
                  report.best ? " (best)" : "");
    log(line);
    if (callbacks.on_epoch) callbacks.on_epoch(report);
    if (report.best && callbacks.on_best) callbacks.on_best(model);
    reports.push_back(std::move(report));
  }
  return reports;
}

}  // namespace bertcls::train
