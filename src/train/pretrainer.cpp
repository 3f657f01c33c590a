#include "train/pretrainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include <bertcls/error.h>
#include "tensor/matmul.h"
#include "train/batching.h"
#include "train/grad_clip.h"
#include "train/grad_mean.h"
#include "train/lr_schedule.h"
#include "train/training_plan.h"

namespace bertcls::train {
namespace {

// Dense segments: no row_size (see the header).
std::vector<ParamSegment> dense_segments(const model::BertClassifier& model) {
  std::vector<ParamSegment> segments;
  for (const model::NamedParameter& p : model.named_parameters())
    segments.push_back({p.name, p.offset, p.count, p.trainable && trainer_applies_weight_decay(p.name)});
  return segments;
}

// Dropout streams per batch, apart from the masks' (masking_rng keys those).
std::uint64_t dropout_seed(std::uint64_t seed, std::int64_t batch_number) {
  return tensor::mix64(seed ^ 0x6D6C6D2D64726F70ull) + static_cast<std::uint64_t>(batch_number);
}

// The batch of these blocks, masked for this batch number.
void fill_masked_batch(model::Batch& batch, const Batch& indices, const TokenBlocks& blocks,
                       const MaskingOptions& masking, std::uint64_t seed, std::int64_t batch_number) {
  batch.clear();
  std::vector<std::int32_t> ids, labels;
  for (std::size_t block : indices) {
    const auto block_ids = blocks.ids(block);
    ids.assign(block_ids.begin(), block_ids.end());
    labels.resize(ids.size());
    mask_tokens(ids, blocks.kinds(block), labels, masking,
                masking_rng(seed, batch_number, static_cast<std::int64_t>(block)));
    batch.add_sequence(ids);
    batch.mlm_labels.insert(batch.mlm_labels.end(), labels.begin(), labels.end());
  }
}

}  // namespace

FitResult pretrain(model::BertClassifier& model, const TokenBlocks& blocks, const MaskingOptions& masking,
                   const TrainerOptions& options, const TrainerCallbacks& callbacks, const ResumePoint* resume) {
  if (model.config().head != model::Head::masked_lm) throw Error("pretrain: the model has no masked-LM head");
  if (blocks.size() == 0) throw Error("pretrain: no text to train on");
  if (options.batch_size == 0) throw Error("batch_size must be at least 1");
  if (!(options.lr >= 0.0)) throw Error("lr must not be negative");
  if (options.save_steps < 0) throw Error("save_steps must not be negative");
  tensor::require_precision(options.precision, kPrecisionOption);

  const TrainingPlan plan = plan_of(options, blocks.size());
  const LinearWarmupSchedule schedule{options.lr, plan.warmup_steps, plan.total_steps};
  const std::vector<ParamSegment> segments = dense_segments(model);
  AdamW adamw(segments, options.adamw);
  const std::vector<int> lengths = blocks.lengths();

  FitResult result;
  TrainerProgress& p = result.progress;
  if (resume) {
    const TrainerProgress& r = resume->progress;
    if (r.step < 0 || r.step > plan.total_steps || r.epoch < 0 || r.epoch >= plan.epochs || r.next_batch < 0 ||
        r.next_batch > plan.batches_per_epoch || r.batch_number < 0)
      throw Error("the checkpoint (step " + std::to_string(r.step) + ") does not fit this run's plan of " +
                  std::to_string(plan.total_steps) + " steps in " + std::to_string(plan.epochs) + " epochs");
    adamw.restore(resume->exp_avg, resume->exp_avg_sq, r.step);
    p = r;
  }
  const TrainerSnapshot snapshot{model, adamw, p};
  model::Batch batch;
  model.zero_grad();
  for (; p.epoch < plan.epochs && (p.step < plan.total_steps || p.next_batch > 0); ++p.epoch) {
    const auto start = std::chrono::steady_clock::now();
    const double seconds_before = p.epoch_seconds;
    auto update_seconds = [&] {
      p.epoch_seconds = seconds_before + std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    const std::vector<Batch> batches =
        make_train_batches(lengths, options.batch_size, options.seed, static_cast<std::uint64_t>(p.epoch));
    while (p.next_batch < static_cast<std::int64_t>(batches.size()) && p.step < plan.total_steps) {
      const std::int64_t b = p.next_batch++;
      const Batch& indices = batches[static_cast<std::size_t>(b)];
      fill_masked_batch(batch, indices, blocks, masking, options.seed, p.batch_number);
      model.forward(batch, {.dropout = true,
                             .backward = true,
                             .seed = dropout_seed(options.seed, p.batch_number++),
                             .precision = options.precision});
      p.epoch_loss_sum += model.loss(batch);
      model.backward();
      p.epoch_samples += static_cast<std::int64_t>(indices.size());
      ++p.epoch_batches;
      if (!plan.steps_after(b)) continue;

      std::span<float> grads = model.grads();
      if (const auto group = plan.group_size(b); group > 1) divide_by_group(grads, segments, group, {});
      const float norm = options.max_grad_norm > 0.0f ? clip_grad_norm(grads, segments, options.max_grad_norm)
                                                      : global_grad_norm(grads, segments);
      const double lr = schedule.lr(p.step);
      adamw.step(model.parameters(), grads, lr);
      model.zero_grad();
      ++p.step;
      update_seconds();
      if (callbacks.on_step)
        callbacks.on_step(step_report(p, plan.epochs, plan.total_steps, static_cast<std::int64_t>(batches.size()), lr, norm));
      const bool stop = callbacks.stop_requested && callbacks.stop_requested();
      const bool save = options.save_steps > 0 && p.step % options.save_steps == 0;
      if ((save || stop) && callbacks.on_checkpoint) callbacks.on_checkpoint(snapshot);
      if (stop) {
        result.interrupted = true;
        return result;
      }
    }
    update_seconds();
    EpochReport report = finish_epoch(p);
    report.best = true;  // no validation: the last epoch is the model
    if (callbacks.on_epoch) callbacks.on_epoch(report);
    if (callbacks.on_best) callbacks.on_best(model);
    result.epochs.push_back(std::move(report));
  }
  return result;
}

}  // namespace bertcls::train
