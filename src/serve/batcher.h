// Dynamic batching for the server: requests that arrive together are run as one packed,
// length-sorted batch by a fixed pool of workers, all running one shared model (each
// worker's batch borrows a workspace of its own; the weights exist once).
//
// A worker takes the oldest request, then keeps taking requests until the batch holds
// max_batch_size texts or max_wait_ms have passed since that first request arrived.
// Requests are never split across batches (a request larger than max_batch_size runs
// alone, in max_batch_size chunks). The queue is bounded in texts: submit() refuses work
// beyond max_queued_texts instead of letting latency grow without bound.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "pipeline/classifier_model.h"

namespace bertcls::serve {

struct BatcherOptions {
  int max_batch_size = 32;
  int max_wait_ms = 5;
  int max_queued_texts = 1024;
  int workers = 1;  // 0 only queues, never runs: lets tests hold requests in the queue
};

// What a batch run reports, for /metrics.
struct BatchObserver {
  std::function<void(int texts)> on_batch;
};

class QueueFull : public std::runtime_error {
 public:
  QueueFull() : std::runtime_error("the request queue is full") {}
};

class Batcher {
 public:
  Batcher(std::shared_ptr<const pipeline::ClassifierModel> model, BatcherOptions options, BatchObserver observer = {});
  ~Batcher();

  // Queues one request's encoded texts. The future holds one prediction per text, or the
  // exception the model threw. Throws QueueFull when the queue is full. `cancelled` set
  // by the caller (e.g. on timeout) lets workers skip the request.
  std::future<std::vector<Prediction>> submit(train::EncodedExamples texts,
                                              std::shared_ptr<std::atomic<bool>> cancelled = nullptr);

  // The model the workers run; encoding on the callers' threads touches only its tokenizer.
  const pipeline::ClassifierModel& model() const { return *model_; }

  // Texts waiting, not yet taken by a worker.
  int queued_texts() const;
  const BatcherOptions& options() const { return options_; }

  // Runs what is queued, then joins the workers. submit() afterwards throws QueueFull.
  void stop();

 private:
  struct Request {
    train::EncodedExamples texts;
    std::promise<std::vector<Prediction>> promise;
    std::shared_ptr<std::atomic<bool>> cancelled;
    std::chrono::steady_clock::time_point arrived;
  };
  void work();
  std::vector<std::unique_ptr<Request>> take_batch();

  BatcherOptions options_;
  BatchObserver observer_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::unique_ptr<Request>> queue_;
  int queued_texts_ = 0;
  bool stopping_ = false;
  std::shared_ptr<const pipeline::ClassifierModel> model_;
  std::vector<std::thread> workers_;
};

}  // namespace bertcls::serve
