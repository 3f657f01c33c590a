// Peak memory and time of one training step (forward, loss, backward) of a
// rubert-tiny2-shaped classifier (data/rubert-tiny2/config.json: full 83,828-word
// vocabulary, random weights) on B sequences of S tokens, and of an inference forward.
//
//   bench/bert_step_memory [B=32] [S=64] [repeats=5]
//
// Peak memory is the process's maximum resident set (getrusage), read after the model is
// built and after the steps; the difference is what a step adds to the model.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "hf/model_config.h"
#include "model/bert_classifier.h"

using namespace bertcls;

static double peak_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

template <typename F>
static double median_ms(int repeats, F f) {
  std::vector<double> ms;
  for (int r = 0; r < repeats; r++) {
    auto t0 = std::chrono::steady_clock::now();
    f();
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

int main(int argc, char** argv) {
  const int B = argc > 1 ? std::atoi(argv[1]) : 32, S = argc > 2 ? std::atoi(argv[2]) : 64;
  const int repeats = argc > 3 ? std::atoi(argv[3]) : 5;
  const double at_start = peak_mib();
  model::BertConfig config = hf::read_model_config(std::string(BERTCLS_SOURCE_DIR) + "/data/rubert-tiny2/config.json").bert;
  model::BertClassifier model(config, 1);
  model.zero_grad();  // the gradient buffer a training loop holds
  const double with_model = peak_mib();

  model::Batch batch;
  std::mt19937 gen(3);
  std::uniform_int_distribution<int32_t> token(5, config.vocab_size - 1);
  for (int b = 0; b < B; b++) {
    std::vector<int32_t> ids(S);
    for (int32_t& id : ids) id = token(gen);
    batch.add_sequence(ids);
    batch.class_labels.push_back(b % config.num_labels);
  }
  uint64_t step = 0;
  const double train_ms = median_ms(repeats, [&] {
    model.forward(batch, {.dropout = true, .backward = true, .seed = ++step});
    model.loss(batch);
    model.backward();
  });
  const double after_train = peak_mib();
  const double infer_ms = median_ms(repeats, [&] { model.forward(batch); });

  std::printf("rubert-tiny2 shape (vocab %d, hidden %d, %d layers), batch %d x %d tokens, %zu parameters\n",
              config.vocab_size, config.hidden_size, config.num_hidden_layers, B, S, model.parameters().size());
  std::printf("peak RSS: %.1f MiB at start, %.1f MiB with parameters + gradients, %.1f MiB after training steps\n",
              at_start, with_model, after_train);
  std::printf("training step (forward + loss + backward): %.1f ms median of %d; inference forward: %.1f ms\n", train_ms,
              repeats, infer_ms);
  return 0;
}
