// AdamW over one flat parameter buffer, as llm.c keeps its parameters: params, grads and
// the two moment buffers are contiguous float arrays, and named segments say where each
// tensor lives and whether it takes weight decay.
//
// Two update rules, both matched against PyTorch by tests/train_optimizer_test.cpp:
//  - bias_correction = true: torch.optim.AdamW (PyTorch 1.13, what Hugging Face's Trainer
//    uses): decay first (p *= 1 - lr*wd), then p -= lr/bc1 * m / (sqrt(v)/sqrt(bc2) + eps).
//  - bias_correction = false: transformers.AdamW(correct_bias=False), the tutorial's
//    optimizer: p -= lr * m / (sqrt(v) + eps), then decay on the updated value
//    (p -= lr*wd*p). Its default eps is 1e-6 (AdamWOptions::transformers_no_bias_correction).
//
// Lazy rows: a batch touches a few hundred of the word embeddings' 84k rows, yet dense
// AdamW moves every row every step (by momentum and decay, with a zero gradient). A lazy
// step updates only the rows it is told were touched and records the step's scalars; a
// skipped row replays its zero-gradient steps, one by one with the same arithmetic, when
// something is about to read it (catch_up() before a forward pass over its token) or at
// flush(). Parameters and moments then hold the same bits as after dense steps. The
// replay costs the dense pass's arithmetic (much less on rows no batch has used yet), but
// on a row in cache rather than streaming four 100 MB arrays through memory every step.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bertcls::train {

// One parameter tensor inside the flat buffer.
struct ParamSegment {
  std::string name;    // Hugging Face name, e.g. "bert.encoder.layer.0.output.dense.weight"
  std::size_t offset;  // first element in the flat buffer
  std::size_t size;    // number of elements
  bool decay;          // takes weight decay (see trainer_applies_weight_decay)
  // > 0: a table of rows of this many elements whose untouched rows a lazy step skips
  // (the word embeddings). At most one segment is one.
  std::size_t row_size = 0;
};

// Hugging Face Trainer's parameter groups (Trainer.get_decay_parameter_names): weight decay
// goes to every parameter except those of LayerNorm modules and those whose name contains
// "bias". BERT, RoBERTa and ELECTRA name their LayerNorm modules "LayerNorm", DistilBERT
// "sa_layer_norm" and "output_layer_norm" (the Trainer finds them by type); newer
// transformers versions match "layernorm" case-insensitively, which gives the same split.
bool trainer_applies_weight_decay(std::string_view name);

struct AdamWOptions {
  // Doubles, like the Python floats PyTorch receives: 1 - beta2 must be formed in double
  // before rounding (1 - 0.999f differs from float(1 - 0.999) by 1e-5 relative).
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;          // torch.optim.AdamW's default
  double weight_decay = 0.0;  // applied to segments with decay = true only
  bool bias_correction = true;

  // transformers.AdamW(params, lr, correct_bias=False) with its defaults (eps 1e-6).
  static AdamWOptions transformers_no_bias_correction();
};

// The scalars one step applies to one parameter tensor (train/adamw_update.h), kept per
// skipped step for the lazy rows' replay.
struct AdamWStep {
  float neg_step;   // -lr / bias_correction1, or -lr without bias correction
  float bc2_sqrt;   // sqrt(bias_correction2)
  float keep;       // 1 - lr * decay (torch.optim.AdamW decays before the update)
  float neg_decay;  // -lr * decay (transformers.AdamW decays the updated value)
};

class AdamW {
 public:
  // Segments must tile [0, total) without gaps or overlaps, in any order (a model may
  // list its tensors in Hugging Face's order while storing them otherwise); total is the
  // size of the buffers passed to step(). Throws bertcls::Error otherwise, or for betas
  // outside [0, 1), a negative eps or weight decay, a row size that does not divide its
  // segment or more than one segment with rows.
  AdamW(std::vector<ParamSegment> segments, AdamWOptions options);

  // One update of every parameter with learning rate lr (the scheduled value for this
  // step). params.size() and grads.size() must equal num_params().
  void step(std::span<float> params, std::span<const float> grads, double lr);

  // The same update, lazy in the rows segment: only `touched_rows` (any order, a repeat
  // counts once) are brought up to date and updated; every other row of it must have a
  // gradient of +0.0f, which the step skips. Throws bertcls::Error for a row out of range.
  void step(std::span<float> params, std::span<const float> grads, double lr,
            std::span<const std::int32_t> touched_rows);

  // Replays the steps these rows of the rows segment skipped (any order, repeats count
  // once), so that they hold what dense steps give: call it with a batch's token ids
  // before the forward pass reads their rows. Throws bertcls::Error for a row out of range.
  void catch_up(std::span<float> params, std::span<const std::int32_t> rows);
  // The same for every row: parameters and moments are then what dense steps give, bit
  // for bit. Needed before anything reads them all (evaluation, saving).
  void flush(std::span<float> params);
  // No row has steps to replay: exp_avg(), exp_avg_sq() and the parameters are current.
  bool flushed() const { return skipped_.empty(); }

  // Continues a run: the moments and step count a previous AdamW over the same segments
  // had (flushed). Throws bertcls::Error when the sizes differ or steps is negative.
  void restore(std::span<const float> exp_avg, std::span<const float> exp_avg_sq, std::int64_t steps);

  std::size_t num_params() const { return exp_avg_.size(); }
  std::int64_t steps_taken() const { return steps_; }
  const std::vector<ParamSegment>& segments() const { return segments_; }
  const AdamWOptions& options() const { return options_; }
  // Current only when flushed().
  std::span<const float> exp_avg() const { return exp_avg_; }
  std::span<const float> exp_avg_sq() const { return exp_avg_sq_; }

 private:
  struct Row {
    std::int32_t row;
    std::int64_t steps;  // the steps it had had before this one
  };
  void check_sizes(std::span<float> params, std::span<const float> grads) const;
  // Puts the rows behind `steps` into due_, each once, and counts them as at `steps`.
  void take_due(std::span<const std::int32_t> rows, std::int64_t steps);
  void update(std::span<float> params, std::span<const float> grads, double lr, bool dense);
  void replay(float* params, std::int32_t row, std::int64_t from, std::int64_t to);

  std::vector<ParamSegment> segments_;
  AdamWOptions options_;
  std::vector<float> exp_avg_, exp_avg_sq_;
  std::int64_t steps_ = 0;
  // The rows segment (segments_.size() when none), the steps each of its rows has had,
  // and what replaying them needs: the scalars of steps flushed_steps_ + 1 .. steps_.
  std::size_t rows_segment_;
  std::vector<std::int64_t> row_steps_;
  std::vector<AdamWStep> skipped_;
  std::int64_t flushed_steps_ = 0;
  std::vector<Row> due_;      // the rows a step or catch_up() updates, reused
  std::vector<float> zeros_;  // a row's gradient in the steps it skipped
};

}  // namespace bertcls::train
