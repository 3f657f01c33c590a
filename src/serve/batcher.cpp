#include "serve/batcher.h"

namespace bertcls::serve {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

}  // namespace

Batcher::Batcher(BatcherOptions options, BatchObserver observer) : options_(options), observer_(std::move(observer)) {
  for (int i = 0; i < options_.workers; ++i) workers_.emplace_back([this] { work(); });
}

Batcher::~Batcher() { stop(); }

std::future<BatchAnswer> Batcher::submit(std::shared_ptr<const pipeline::ClassifierModel> model,
                                         train::EncodedExamples encoded, std::shared_ptr<std::atomic<bool>> cancelled) {
  auto request = std::make_unique<Request>();
  int texts = static_cast<int>(encoded.examples);
  request->model = std::move(model);
  request->texts = std::move(encoded);
  request->cancelled = std::move(cancelled);
  request->arrived = Clock::now();
  auto future = request->promise.get_future();
  {
    std::lock_guard lock(mutex_);
    // One request larger than the whole queue is still admitted into an empty queue.
    if (stopping_ || (queued_texts_ > 0 && queued_texts_ + texts > options_.max_queued_texts)) throw QueueFull();
    queued_texts_ += texts;
    queue_.push_back(std::move(request));
  }
  wake_.notify_one();
  return future;
}

int Batcher::queued_texts() const {
  std::lock_guard lock(mutex_);
  return queued_texts_;
}

bool Batcher::fill(Batch& batch, int& texts) {
  while (!queue_.empty() && queue_.front()->model == batch.front()->model &&
         texts + static_cast<int>(queue_.front()->texts.examples) <= options_.max_batch_size) {
    texts += static_cast<int>(queue_.front()->texts.examples);
    queued_texts_ -= static_cast<int>(queue_.front()->texts.examples);
    batch.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  return texts >= options_.max_batch_size || !queue_.empty();
}

Batcher::Batch Batcher::take_batch() {
  std::unique_lock lock(mutex_);
  wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
  Batch batch;
  if (queue_.empty()) return batch;  // stopping with nothing left
  // Requests queued up while every worker was busy: a lone one (a client waiting for its
  // previous answer, say) is not a backlog, however the worker and client threads raced.
  const bool backlog = queue_.size() > 1;
  int texts = static_cast<int>(queue_.front()->texts.examples);
  queued_texts_ -= texts;
  batch.push_back(std::move(queue_.front()));
  queue_.pop_front();
  const auto deadline = batch.front()->arrived + std::chrono::milliseconds(options_.max_wait_ms);
  while (!fill(batch, texts) && backlog && !stopping_ &&
         wake_.wait_until(lock, deadline, [&] { return stopping_ || !queue_.empty(); })) {
  }
  return batch;
}

void Batcher::run(Batch& batch) {
  train::EncodedExamples texts;
  for (auto& r : batch)
    if (!r->is_cancelled()) texts.append(r->texts);
  if (texts.examples == 0) return;
  const auto started = Clock::now();
  try {
    std::vector<Prediction> predictions = batch.front()->model->predict_encoded(texts, options_.max_batch_size);
    const auto finished = Clock::now();
    if (observer_.on_batch) observer_.on_batch(static_cast<int>(texts.examples));
    size_t next = 0;
    for (auto& r : batch) {
      if (r->is_cancelled()) continue;
      const auto first = predictions.begin() + static_cast<std::ptrdiff_t>(next);
      next += r->texts.examples;
      BatchAnswer answer;
      answer.predictions.assign(std::make_move_iterator(first),
                                std::make_move_iterator(predictions.begin() + static_cast<std::ptrdiff_t>(next)));
      answer.queue_seconds = seconds_between(r->arrived, started);
      answer.inference_seconds = seconds_between(started, finished);
      r->promise.set_value(std::move(answer));
    }
  } catch (...) {
    for (auto& r : batch)
      if (!r->is_cancelled()) r->promise.set_exception(std::current_exception());
  }
}

void Batcher::work() {
  for (;;) {
    Batch batch = take_batch();
    if (batch.empty()) return;
    run(batch);
  }
}

void Batcher::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && workers_.empty()) return;
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& w : workers_) w.join();
  workers_.clear();
}

}  // namespace bertcls::serve
