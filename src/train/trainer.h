// Fine-tuning a BertClassifier: the tutorial's loop (AdamW, linear warm-up schedule,
// gradient clipping, cross-entropy; evaluate after each epoch, keep the best) on packed,
// length-bucketed batches.
//
// One optimizer step: for each batch of its accumulation group, forward with dropout,
// loss (class-weighted when asked), backward; gradients divided by the group size (the
// mean over the group, see training_plan.h); clip_grad_norm_ to max_grad_norm; AdamW with
// the scheduled learning rate; zero the gradients. Dropout masks are keyed by (seed,
// batch number), so a run is reproducible for a seed and thread count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "io/dataset.h"
#include "model/bert_classifier.h"
#include "train/adamw.h"
#include "train/encoded_examples.h"
#include "train/evaluation.h"

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
  std::int64_t log_every = 50;    // optimizer steps between progress lines; 0: none
};

// A labelled dataset with its encodings (same order, same size).
struct EncodedDataset {
  const std::vector<io::Example>& examples;
  const EncodedExamples& encoded;
};

struct EpochReport {
  std::int64_t epoch = 0;            // 1-based
  std::int64_t steps = 0;            // optimizer steps taken so far in the run
  double train_loss = 0.0;           // mean of the epoch's batch losses
  double seconds = 0.0;              // training time of the epoch, without evaluation
  double samples_per_second = 0.0;
  std::optional<EvalResult> valid;   // when a validation set was given
  bool best = false;                 // valid score improved (always true without valid)
};

struct TrainerCallbacks {
  std::function<void(const std::string&)> log;              // progress lines
  std::function<void(const EpochReport&)> on_epoch;         // after each epoch's evaluation
  std::function<void(const model::BertClassifier&)> on_best;  // the model of a best epoch
};

// Trains in place. The model's head must match the task and labels (prepare_head is
// called here). Throws bertcls::Error for bad options or data that does not fit the model.
std::vector<EpochReport> fit(model::BertClassifier& model, io::Task task, int num_labels, const EncodedDataset& train,
                             const EncodedDataset* valid, const TrainerOptions& options,
                             const TrainerCallbacks& callbacks = {});

}  // namespace bertcls::train
