// Dynamic batching for the server: requests that arrive together are run as one packed,
// length-sorted batch by a fixed pool of workers (each worker's batch borrows a
// workspace of its own from the model; the weights exist once).
//
// A worker takes what is queued at once: a lone request never waits for company (as
// text-embeddings-inference does). Batches form from the requests that queued while
// every worker was busy; a worker that finds such a backlog (more than one request
// waiting) waits up to max_wait_ms from its oldest request for the batch to fill, since
// at that load more requests are about to arrive and a fuller batch is cheaper per text.
//
// Each request names the model it was encoded for, so a live model swap never mixes
// models in one batch: requests encoded before the swap finish on the old model.
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

// A request's predictions and where its time went.
struct BatchAnswer {
  std::vector<Prediction> predictions;  // one per text, in order
  double queue_seconds = 0;             // queued until a worker took it
  double inference_seconds = 0;         // the model run of its batch
};

class QueueFull : public std::runtime_error {
 public:
  QueueFull() : std::runtime_error("the request queue is full") {}
};

class Batcher {
 public:
  explicit Batcher(BatcherOptions options, BatchObserver observer = {});
  ~Batcher();

  // Queues one request's texts, encoded by `model`'s encoder, to run on `model`. The
  // future holds the answer, or the exception the model threw. Throws QueueFull when the
  // queue is full. `cancelled` set by the caller (e.g. on timeout) lets workers skip it.
  std::future<BatchAnswer> submit(std::shared_ptr<const pipeline::ClassifierModel> model, train::EncodedExamples texts,
                                  std::shared_ptr<std::atomic<bool>> cancelled = nullptr);

  // Texts waiting, not yet taken by a worker.
  int queued_texts() const;
  const BatcherOptions& options() const { return options_; }

  // Runs what is queued, then joins the workers. submit() afterwards throws QueueFull.
  void stop();

 private:
  struct Request {
    std::shared_ptr<const pipeline::ClassifierModel> model;
    train::EncodedExamples texts;
    std::promise<BatchAnswer> promise;
    std::shared_ptr<std::atomic<bool>> cancelled;
    std::chrono::steady_clock::time_point arrived;
    bool is_cancelled() const { return cancelled && *cancelled; }
  };
  using Batch = std::vector<std::unique_ptr<Request>>;
  void work();
  Batch take_batch();
  // Moves queued requests for the batch's model into it while they fit; true when full.
  bool fill(Batch& batch, int& texts);
  void run(Batch& batch);

  BatcherOptions options_;
  BatchObserver observer_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::unique_ptr<Request>> queue_;
  int queued_texts_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace bertcls::serve
