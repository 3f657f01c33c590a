#include "serve/batcher.h"

namespace bertcls::serve {

Batcher::Batcher(const std::function<model::TextClassifier()>& make_model, BatcherOptions options,
                 BatchObserver observer)
    : options_(options), observer_(std::move(observer)) {
  for (int i = 0; i < options_.workers; ++i) models_.push_back(std::make_unique<model::TextClassifier>(make_model()));
  if (models_.empty()) spare_encoder_ = std::make_unique<model::TextClassifier>(make_model());
  encoder_ = models_.empty() ? spare_encoder_.get() : models_.front().get();
  for (auto& m : models_) workers_.emplace_back([this, &m] { work(*m); });
}

Batcher::~Batcher() { stop(); }

std::future<std::vector<model::Prediction>> Batcher::submit(std::vector<text::Encoding> encodings,
                                                            std::shared_ptr<std::atomic<bool>> cancelled) {
  auto request = std::make_unique<Request>();
  int texts = static_cast<int>(encodings.size());
  request->encodings = std::move(encodings);
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
           (batch.empty() || texts + static_cast<int>(queue_.front()->encodings.size()) <= options_.max_batch_size)) {
      texts += static_cast<int>(queue_.front()->encodings.size());
      queued_texts_ -= static_cast<int>(queue_.front()->encodings.size());
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    bool full = texts >= options_.max_batch_size || !queue_.empty();
    if (full || stopping_ || !wake_.wait_until(lock, deadline, [&] { return stopping_ || !queue_.empty(); })) break;
  }
  return batch;
}

void Batcher::work(model::TextClassifier& classifier) {
  for (;;) {
    auto batch = take_batch();
    if (batch.empty()) return;
    std::vector<const text::Encoding*> encodings;
    for (auto& r : batch)
      if (!(r->cancelled && *r->cancelled))
        for (const auto& e : r->encodings) encodings.push_back(&e);
    if (encodings.empty()) continue;
    try {
      std::vector<model::Prediction> predictions = classifier.classify_encoded(encodings, options_.max_batch_size);
      if (observer_.on_batch) observer_.on_batch(static_cast<int>(encodings.size()));
      size_t next = 0;
      for (auto& r : batch) {
        if (r->cancelled && *r->cancelled) continue;
        std::vector<model::Prediction> mine(std::make_move_iterator(predictions.begin() + next),
                                            std::make_move_iterator(predictions.begin() + next + r->encodings.size()));
        next += r->encodings.size();
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
