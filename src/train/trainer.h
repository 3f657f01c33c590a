// Fine-tuning a BertClassifier: the tutorial's loop (AdamW, linear warm-up schedule,
// gradient clipping, cross-entropy; evaluate after each epoch, keep the best) on packed,
// length-bucketed batches.
//
// One optimizer step: for each batch of its accumulation group, forward with dropout,
// loss (class-weighted when asked), backward; gradients divided by the group size (the
// mean over the group, see training_plan.h); clip_grad_norm_ to max_grad_norm; AdamW with
// the scheduled learning rate, lazy in the word embeddings' untouched rows (flushed, so
// exactly dense AdamW, before evaluation, checkpoints and the end); zero the gradients. Dropout masks are keyed by (seed,
// batch number) and batch order by (seed, epoch), so a run is reproducible for a seed and
// thread count, and a run stopped between two steps continues exactly from a
// TrainerProgress, the model's parameters and the optimizer's moments.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <bertcls/metrics.h>

#include "dist/communicator.h"
#include "io/dataset.h"
#include "model/bert_classifier.h"
#include "train/adamw.h"
#include "train/encoded_examples.h"
#include "train/evaluation.h"
#include "tensor/packed_linear.h"
#include "train/training_plan.h"

namespace bertcls::train {

struct TrainerOptions {
  std::int64_t epochs = 2;
  std::size_t batch_size = 32;
  double lr = 2e-5;
  AdamWOptions adamw;             // betas, eps, weight decay, bias correction
  std::int64_t warmup_steps = 0;  // > 0 wins over warmup_ratio
  double warmup_ratio = 0.0;
  float max_grad_norm = 1.0f;     // <= 0: no clipping (HF clips only when > 0)
  std::int64_t grad_accum = 1;
  std::int64_t max_steps = 0;     // > 0: stop after this many optimizer steps
  bool balanced_class_weights = false;  // single-label only
  std::uint64_t seed = 42;        // batch order and dropout
  SelectionMetric metric = SelectionMetric::Auto;  // what makes an epoch the best
  WindowPooling pooling = WindowPooling::Mean;     // validation texts cut into several windows
  std::int64_t patience = 0;      // > 0: stop after this many epochs without a new best
  std::int64_t save_steps = 0;    // > 0: on_checkpoint every this many optimizer steps
  // > 1, or a world of several processes: each batch is cut into this many shards whose
  // gradients are summed in a fixed order (data_parallel.h), so that any number of
  // processes up to grad_shards trains bit for bit the same model.
  std::int64_t grad_shards = 1;
  dist::Communicator* world = nullptr;  // null: this process alone
  // ZeRO stage 1: each process keeps the optimizer moments of 1/N of the parameters
  // (trainer_adamw.h); the same bits as without.
  bool zero_optimizer = false;
  // The dense layers' products, forward and backward: fp32, or bf16 with fp32 sums
  // (weights, optimizer state, LayerNorm, softmax and loss stay fp32; model/linear.h).
  tensor::Precision precision = tensor::Precision::fp32;
};
// What a refusal of `precision` names: bf16 on a CPU without it (tensor::require_precision).
inline constexpr const char* kPrecisionOption = "bf16 training (--precision bf16)";

// A labelled dataset with its encodings (one or more windows per example, in order).
struct EncodedDataset {
  const std::vector<io::Example>& examples;
  const EncodedExamples& encoded;
};

// Where a run stands between two optimizer steps. With the model's parameters and the
// optimizer's moments it is all a continuation needs: batch order and dropout derive
// from the seed, the epoch and batch_number.
struct TrainerProgress {
  std::int64_t step = 0;          // optimizer steps taken
  std::int64_t epoch = 0;         // 0-based epoch in progress
  std::int64_t next_batch = 0;    // first batch of that epoch not trained yet
  std::int64_t batch_number = 0;  // batches trained in the whole run
  // The epoch in progress so far, for its train loss and speed.
  double epoch_loss_sum = 0.0;
  std::int64_t epoch_batches = 0;
  std::int64_t epoch_samples = 0;
  double epoch_seconds = 0.0;
  // Model selection and early stopping.
  std::optional<double> best_score;
  std::int64_t epochs_without_improvement = 0;
};

// What fit() continues from; the model passed to fit() must hold the same run's
// parameters at that point.
struct ResumePoint {
  TrainerProgress progress;
  std::vector<float> exp_avg, exp_avg_sq;
};

// A consistent view of the run between two steps, for checkpoints.
struct TrainerSnapshot {
  const model::BertClassifier& model;
  const AdamW& optimizer;
  const TrainerProgress& progress;
};

struct TrainerCallbacks {
  std::function<void(const StepReport&)> on_step;             // after each optimizer step
  std::function<void(const EpochReport&)> on_epoch;           // after each epoch's evaluation
  std::function<void(const model::BertClassifier&)> on_best;  // the model of a best epoch
  std::function<void(const TrainerSnapshot&)> on_checkpoint;  // every save_steps, and on stop
  std::function<bool()> stop_requested;                       // polled after each step
};

struct FitResult {
  std::vector<EpochReport> epochs;  // those finished by this call
  bool early_stopped = false;       // patience ran out
  bool interrupted = false;         // stop_requested said so (after on_checkpoint)
  TrainerProgress progress;         // where the run ended
};

// The plan of a run over `sequences` training sequences with these options.
TrainingPlan plan_of(const TrainerOptions& options, std::size_t sequences);

// The reports of a training loop (fine-tuning's and pre-training's alike): a step's, from
// where the run stands; and the epoch just trained, without validation, after which the
// progress is at the next epoch's first batch (the loop advances `epoch` itself).
StepReport step_report(const TrainerProgress& p, std::int64_t epochs, std::int64_t total_steps,
                       std::int64_t batches_per_epoch, double lr, float grad_norm);
EpochReport finish_epoch(TrainerProgress& p);

// Trains in place, from the start or from `resume`. The model's head must match the task
// and labels (prepare_head is called here). Throws bertcls::Error for bad options, data
// that does not fit the model, or a resume point that does not fit the run.
FitResult fit(model::BertClassifier& model, Task task, int num_labels, const EncodedDataset& train,
              const EncodedDataset* valid, const TrainerOptions& options, const TrainerCallbacks& callbacks = {},
              const ResumePoint* resume = nullptr);

}  // namespace bertcls::train
