#include "serve/batcher.h"

namespace bertcls::serve {

Batcher::Batcher(std::shared_ptr<const pipeline::ClassifierModel> model, BatcherOptions options, BatchObserver observer)
    : options_(options), observer_(std::move(observer)), model_(std::move(model)) {
  for (int i = 0; i < options_.workers; ++i) workers_.emplace_back([this] { work(); });
}

Batcher::~Batcher() { stop(); }

std::future<std::vector<Prediction>> Batcher::submit(train::EncodedExamples encoded,
                                                     std::shared_ptr<std::atomic<bool>> cancelled) {
  auto request = std::make_unique<Request>();
  int texts = static_cast<int>(encoded.examples);
  request->texts = std::move(encoded);
  request->cancelled = std::move(cancelled);
  request->arrived = std::chrono::steady_clock::now();
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

std::vector<std::unique_ptr<Batcher::Request>> Batcher::take_batch() {
  std::unique_lock lock(mutex_);
  wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
  std::vector<std::unique_ptr<Request>> batch;
  if (queue_.empty()) return batch;  // stopping with nothing left
  auto deadline = queue_.front()->arrived + std::chrono::milliseconds(options_.max_wait_ms);
  int texts = 0;
  for (;;) {
    while (!queue_.empty() &&
           (batch.empty() || texts + static_cast<int>(queue_.front()->texts.examples) <= options_.max_batch_size)) {
      texts += static_cast<int>(queue_.front()->texts.examples);
      queued_texts_ -= static_cast<int>(queue_.front()->texts.examples);
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    bool full = texts >= options_.max_batch_size || !queue_.empty();
    if (full || stopping_ || !wake_.wait_until(lock, deadline, [&] { return stopping_ || !queue_.empty(); })) break;
  }
  return batch;
}

void Batcher::work() {
  for (;;) {
    auto batch = take_batch();
    if (batch.empty()) return;
    train::EncodedExamples texts;
    for (auto& r : batch)
      if (!(r->cancelled && *r->cancelled)) texts.append(r->texts);
    if (texts.examples == 0) continue;
    try {
      std::vector<Prediction> predictions = model_->predict_encoded(texts, options_.max_batch_size);
      if (observer_.on_batch) observer_.on_batch(static_cast<int>(texts.examples));
      size_t next = 0;
      for (auto& r : batch) {
        if (r->cancelled && *r->cancelled) continue;
        const auto n = static_cast<std::ptrdiff_t>(r->texts.examples);
        const auto first = predictions.begin() + static_cast<std::ptrdiff_t>(next);
        std::vector<Prediction> mine(std::make_move_iterator(first), std::make_move_iterator(first + n));
        next += r->texts.examples;
        r->promise.set_value(std::move(mine));
      }
    } catch (...) {
      for (auto& r : batch)
        if (!(r->cancelled && *r->cancelled)) r->promise.set_exception(std::current_exception());
    }
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
