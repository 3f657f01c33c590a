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

class AdamW {
 public:
  // Segments must tile [0, total) without gaps or overlaps, in any order (a model may
  // list its tensors in Hugging Face's order while storing them otherwise); total is the
  // size of the buffers passed to step(). Throws bertcls::Error otherwise, or for betas
  // outside [0, 1), a negative eps or weight decay.
  AdamW(std::vector<ParamSegment> segments, AdamWOptions options);

  // One update with learning rate lr (the scheduled value for this step).
  // params.size() and grads.size() must equal num_params().
  void step(std::span<float> params, std::span<const float> grads, double lr);

  // Continues a run: the moments and step count a previous AdamW over the same segments
  // had. Throws bertcls::Error when the sizes differ or steps is negative.
  void restore(std::span<const float> exp_avg, std::span<const float> exp_avg_sq, std::int64_t steps);

  std::size_t num_params() const { return exp_avg_.size(); }
  std::int64_t steps_taken() const { return steps_; }
  const std::vector<ParamSegment>& segments() const { return segments_; }
  const AdamWOptions& options() const { return options_; }
  std::span<const float> exp_avg() const { return exp_avg_; }
  std::span<const float> exp_avg_sq() const { return exp_avg_sq_; }

 private:
  std::vector<ParamSegment> segments_;
  AdamWOptions options_;
  std::vector<float> exp_avg_, exp_avg_sq_;
  std::int64_t steps_ = 0;
};

}  // namespace bertcls::train
