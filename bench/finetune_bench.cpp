// Steady-state fine-tuning speed of bertcls's own trainer (train::fit: packed batches,
// dropout, cross-entropy, backward, clip_grad_norm, AdamW) on a model folder and a
// labelled CSV. Loading, tokenization and the first WARMUP optimizer steps are not
// timed; the clock runs from the end of step WARMUP to the end of the last step, read
// in the trainer's per-step callback. Prints one JSON line for bench/run.py.
//
//   bench/finetune_bench MODEL_DIR DATA_CSV [BATCH=32] [WARMUP=3] [STEPS=20] [PRECISION=fp32]
//
// PRECISION: fp32 or bf16, the dense layers' products (TrainerOptions::precision).
// cpu_ms_per_step: the process's CPU time over the timed steps, per step: on a machine
// other work shares, the cost of a step that wall time mixes with the others' load.
//
// model_flops: 6 * non-embedding parameters * tokens (forward 2, backward 4 per
// weight and token) plus attention's QK^T and PV products (2 * 2 * L^2 * C per layer
// and sequence forward, 3x that with backward), for the batches actually timed, which
// make_train_batches gives deterministically for the trainer's seed.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <string>
#include <vector>

#include "io/dataset.h"
#include "hf/pretrained.h"
#include "pipeline/text_encoder.h"
#include "tensor/cpu_features.h"
#include "train/batching.h"
#include "train/trainer.h"

using namespace bertcls;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: finetune_bench MODEL_DIR DATA_CSV [BATCH=32] [WARMUP=3] [STEPS=20] [PRECISION=fp32]\n");
    return 2;
  }
  const std::string dir = argv[1];
  const std::size_t batch_size = argc > 3 ? std::stoul(argv[3]) : 32;
  const std::int64_t warmup = argc > 4 ? std::stoll(argv[4]) : 3, steps = argc > 5 ? std::stoll(argv[5]) : 20;
  const std::string precision = argc > 6 ? argv[6] : "fp32";
  if (precision != "fp32" && precision != "bf16") {
    std::fprintf(stderr, "finetune_bench: PRECISION is fp32 or bf16, not %s\n", precision.c_str());
    return 2;
  }

  const io::Dataset data = io::read_dataset(argv[2], {});
  const auto labels = data.labels.id2label();
  model::BertClassifier model(hf::load_pretrained(dir, {.labels = labels}).weights);
  const pipeline::TextEncoder encoder(text::Tokenizer::from_directory(dir),
                                      static_cast<std::size_t>(model.config().max_position_embeddings), {512, LongTexts::Truncate, std::nullopt, WindowPooling::Mean});
  const train::EncodedExamples encoded = encoder.encode(data.examples, argv[2]);

  train::TrainerOptions options;
  options.batch_size = batch_size;
  options.max_steps = warmup + steps;
  options.precision = precision == "bf16" ? tensor::Precision::bf16 : tensor::Precision::fp32;
  const std::vector<train::Batch> batches = train::make_train_batches(encoded.lengths, batch_size, options.seed, 0);
  if (warmup < 1 || steps < 1 || static_cast<std::size_t>(warmup + steps) >= batches.size()) {
    std::fprintf(stderr, "finetune_bench: WARMUP and STEPS must be >= 1 and %lld steps within one epoch of %zu batches\n",
                 static_cast<long long>(warmup + steps), batches.size());
    return 2;
  }

  std::vector<Clock::time_point> step_end;
  std::vector<double> step_cpu;
  train::TrainerCallbacks callbacks;
  callbacks.on_step = [&](const StepReport&) {
    step_end.push_back(Clock::now());
    timespec cpu{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
    step_cpu.push_back(static_cast<double>(cpu.tv_sec) + 1e-9 * static_cast<double>(cpu.tv_nsec));
  };
  const train::EncodedDataset train_data{data.examples, encoded};
  train::fit(model, data.task, static_cast<int>(labels.size()), train_data, nullptr, options, callbacks);
  if (static_cast<std::int64_t>(step_end.size()) != warmup + steps) {
    std::fprintf(stderr, "finetune_bench: saw %zu steps, expected %lld\n", step_end.size(),
                 static_cast<long long>(warmup + steps));
    return 1;
  }

  const model::BertConfig& c = model.config();
  double nonembedding = 0;
  for (const model::NamedParameter& p : model.named_parameters())
    if (p.name.rfind("bert.embeddings.", 0) != 0) nonembedding += static_cast<double>(p.count);
  double samples = 0, tokens = 0, attention_flops = 0;
  for (std::int64_t s = warmup; s < warmup + steps; ++s) {
    for (std::size_t i : batches[static_cast<std::size_t>(s)]) {
      const double L = encoded.lengths[i];
      tokens += L;
      attention_flops += 3.0 * 2 * 2 * L * L * c.hidden_size * c.num_hidden_layers;
    }
    samples += static_cast<double>(batches[static_cast<std::size_t>(s)].size());
  }
  const double seconds = std::chrono::duration<double>(step_end.back() - step_end[warmup - 1]).count();
  std::printf("{\"samples_per_s\": %.3f, \"tokens_per_s\": %.1f, \"step_ms\": %.2f, \"model_flops_per_s\": %.4g, "
              "\"cpu_ms_per_step\": %.2f, \"nonembedding_params\": %.0f, \"kernels\": \"%s\", \"precision\": \"%s\"}\n",
              samples / seconds, tokens / seconds, 1e3 * seconds / static_cast<double>(steps),
              (6 * nonembedding * tokens + attention_flops) / seconds,
              1e3 * (step_cpu.back() - step_cpu[warmup - 1]) / static_cast<double>(steps), nonembedding, tensor::hot_kernel_isa(),
              precision.c_str());
  return 0;
}
