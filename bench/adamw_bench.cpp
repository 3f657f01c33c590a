// AdamW's step on a model's shape, dense against lazy in the word embeddings' rows, with
// the token ids of real batches (the trainer's order for its seed, epoch 0). Lazy is
// timed as the trainer runs it: catch_up() on each batch's ids, the step on its distinct
// tokens, and the flush() that ends the epoch, spread over its steps. Gradients are
// made up, +0 in the rows no token touched. The gradient norm that clipping takes is
// timed the same two ways (over every gradient; told the touched rows). Both results are
// checked bit for bit against dense (norms every step, parameters and moments after the
// flush): the bench fails if they differ. Prints one JSON line.
//
//   bench/adamw_bench MODEL_DIR DATA_CSV [BATCH=32] [ROUNDS=3] [WEIGHT_DECAY=0.01]
//
// Weight decay 0.01 is bertcls's from-scratch default, 0 its fine-tuning one (then rows
// no batch has used yet need no arithmetic at all to catch up).
// MODEL_DIR needs config.json and the tokenizer only (data/rubert-tiny2 for rubert-tiny2).
#include <algorithm>
#include <chrono>
#include <cstring>
#include <span>
#include <cstdio>
#include <string>
#include <vector>

#include "hf/model_config.h"
#include "io/dataset.h"
#include "model/bert_parameters.h"
#include "pipeline/text_encoder.h"
#include "tensor/cpu_features.h"
#include "train/adamw.h"
#include "train/batching.h"
#include "train/grad_clip.h"

using namespace bertcls;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: adamw_bench MODEL_DIR DATA_CSV [BATCH=32] [ROUNDS=3] [WEIGHT_DECAY=0.01]\n");
    return 2;
  }
  const std::string dir = argv[1];
  const std::size_t batch_size = argc > 3 ? std::stoul(argv[3]) : 32;
  const int rounds = argc > 4 ? std::stoi(argv[4]) : 3;

  const model::BertConfig config = hf::read_model_config(dir + "/config.json").bert;
  const io::Dataset data = io::read_dataset(argv[2], {});
  const pipeline::TextEncoder encoder(text::Tokenizer::from_directory(dir),
                                      static_cast<std::size_t>(config.max_position_embeddings),
                                      {128, LongTexts::Truncate, std::nullopt, WindowPooling::Mean});
  const train::EncodedExamples encoded = encoder.encode(data.examples, argv[2]);
  std::vector<std::vector<std::int32_t>> batch_ids;
  for (const train::Batch& b : train::make_train_batches(encoded.lengths, batch_size, 42, 0)) {
    std::vector<std::int32_t> ids;
    for (std::size_t w : b) ids.insert(ids.end(), encoded.ids_of(w).begin(), encoded.ids_of(w).end());
    batch_ids.push_back(std::move(ids));
  }

  std::vector<train::ParamSegment> segments;
  std::size_t wte_offset = 0;
  for (const model::NamedParameter& p : model::named_parameters(config)) {
    const bool wte = p.name == "bert.embeddings.word_embeddings.weight";
    if (wte) wte_offset = p.offset;
    segments.push_back({p.name, p.offset, p.count, train::trainer_applies_weight_decay(p.name),
                        wte ? static_cast<std::size_t>(config.hidden_size) : 0});
  }
  const std::size_t n = model::parameter_count(config), C = static_cast<std::size_t>(config.hidden_size);
  train::AdamWOptions options;
  options.weight_decay = argc > 5 ? std::stod(argv[5]) : 0.01;
  // The batch's rows get a gradient per step; the rest of the table is +0, as after zero_grad.
  std::vector<float> grads(n, 0.0f);
  for (std::size_t i = 0; i < n; ++i)
    if (i < wte_offset || i >= wte_offset + config.vocab_size * C)
      grads[i] = static_cast<float>((i * 2654435761u) % 1000) * 1e-6f - 5e-4f;
  const std::size_t steps = batch_ids.size();
  auto lr = [&](std::size_t s) { return 1e-4 * static_cast<double>(steps - s) / static_cast<double>(steps); };
  double dense_ms = 1e30, lazy_ms = 1e30, flush_ms = 1e30, norm_ms = 1e30, rows_norm_ms = 1e30, rows = 0;
  for (int round = 0; round < rounds; ++round) {
    train::AdamW dense(segments, options), lazy(segments, options);
    std::vector<float> dense_params(n, 0.01f), lazy_params(n, 0.01f);
    double dense_s = 0, lazy_s = 0, norm_s = 0, rows_norm_s = 0, touched = 0;
    for (std::size_t s = 0; s < steps; ++s) {
      std::vector<std::int32_t> distinct = batch_ids[s];
      std::sort(distinct.begin(), distinct.end());
      distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
      touched += static_cast<double>(distinct.size());
      for (std::int32_t r : distinct)
        std::fill_n(grads.begin() + static_cast<long>(wte_offset + r * C), C, 1e-4f * static_cast<float>(1 + s % 3));

      auto start = Clock::now();
      const float dense_norm = train::global_grad_norm(grads, segments);
      norm_s += seconds_since(start);
      start = Clock::now();
      const float rows_norm = train::global_grad_norm(grads, segments, distinct);
      rows_norm_s += seconds_since(start);
      start = Clock::now();
      dense.step(dense_params, grads, lr(s));
      dense_s += seconds_since(start);
      start = Clock::now();
      lazy.catch_up(lazy_params, batch_ids[s]);
      lazy.step(lazy_params, grads, lr(s), distinct);
      lazy_s += seconds_since(start);
      if (dense_norm != rows_norm) {
        std::fprintf(stderr, "adamw_bench: the norms differ: %.9g and %.9g\n", dense_norm, rows_norm);
        return 1;
      }
      for (std::int32_t r : distinct) std::fill_n(grads.begin() + static_cast<long>(wte_offset + r * C), C, 0.0f);
    }
    const auto start = Clock::now();
    lazy.flush(lazy_params);
    const double flush_s = seconds_since(start);
    auto same = [](std::span<const float> a, std::span<const float> b) {
      return std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
    };
    if (!same(dense_params, lazy_params) || !same(dense.exp_avg(), lazy.exp_avg()) ||
        !same(dense.exp_avg_sq(), lazy.exp_avg_sq())) {
      std::fprintf(stderr, "adamw_bench: lazy and dense AdamW differ after the flush\n");
      return 1;
    }
    dense_ms = std::min(dense_ms, 1e3 * dense_s / static_cast<double>(steps));
    lazy_ms = std::min(lazy_ms, 1e3 * (lazy_s + flush_s) / static_cast<double>(steps));
    flush_ms = std::min(flush_ms, 1e3 * flush_s);
    norm_ms = std::min(norm_ms, 1e3 * norm_s / static_cast<double>(steps));
    rows_norm_ms = std::min(rows_norm_ms, 1e3 * rows_norm_s / static_cast<double>(steps));
    rows = touched / static_cast<double>(steps);
  }
  std::printf("{\"parameters\": %zu, \"weight_decay\": %g, \"steps\": %zu, \"rows_touched_per_step\": %.0f, \"dense_step_ms\": %.2f, "
              "\"lazy_step_ms\": %.2f, \"lazy_flush_ms\": %.2f, \"dense_norm_ms\": %.2f, \"rows_norm_ms\": %.3f, "
              "\"kernels\": \"%s\"}\n",
              n, options.weight_decay, steps, rows, dense_ms, lazy_ms, flush_ms, norm_ms, rows_norm_ms,
              tensor::hot_kernel_isa());
  return 0;
}
