#include "train/trainer_adamw.h"

#include <algorithm>
#include <cstring>
#include <string>

#include <bertcls/error.h>

namespace bertcls::train {
namespace {

std::vector<std::size_t> share_bounds(std::size_t size, int processes) {
  std::vector<std::size_t> bounds;
  for (int r = 0; r <= processes; ++r) bounds.push_back(size * static_cast<std::size_t>(r) / static_cast<std::size_t>(processes));
  return bounds;
}

// The segments' parts inside [lo, hi), shifted to start at 0, dense (no rows).
std::vector<ParamSegment> share_segments(const std::vector<ParamSegment>& segments, std::size_t lo, std::size_t hi) {
  std::vector<ParamSegment> share;
  for (const ParamSegment& s : segments) {
    const std::size_t begin = std::max(s.offset, lo), end = std::min(s.offset + s.size, hi);
    if (begin < end) share.push_back({s.name, begin - lo, end - begin, s.decay, 0});
  }
  return share;
}

std::vector<std::byte> bytes_of(const float* values, std::size_t n) {
  std::vector<std::byte> bytes(n * sizeof(float));
  std::memcpy(bytes.data(), values, bytes.size());
  return bytes;
}

void check_bytes(const std::vector<std::byte>& message, std::size_t n, int from) {
  if (message.size() != n * sizeof(float))
    throw Error("ZeRO: process " + std::to_string(from) + " sent " + std::to_string(message.size()) + " bytes for " +
                std::to_string(n) + " values");
}

}  // namespace

TrainerAdamW::TrainerAdamW(const std::vector<ParamSegment>& segments, std::size_t size, const AdamWOptions& options,
                           dist::Communicator& world, bool zero)
    : world_(world),
      segments_(segments),
      options_(options),
      zero_(zero),
      bounds_(share_bounds(size, world.size())),
      adamw_(zero ? share_segments(segments, bounds_[world.rank()], bounds_[world.rank() + 1]) : segments, options) {}

void TrainerAdamW::restore(std::span<const float> exp_avg, std::span<const float> exp_avg_sq, std::int64_t steps) {
  if (!zero_) return adamw_.restore(exp_avg, exp_avg_sq, steps);
  if (exp_avg.size() != bounds_.back() || exp_avg_sq.size() != bounds_.back())
    throw Error("optimizer state has " + std::to_string(exp_avg.size()) + " moments, the model " +
                std::to_string(bounds_.back()) + " parameters");
  const std::size_t lo = bounds_[world_.rank()], n = bounds_[world_.rank() + 1] - lo;
  adamw_.restore(exp_avg.subspan(lo, n), exp_avg_sq.subspan(lo, n), steps);
}

void TrainerAdamW::catch_up(std::span<float> params, std::span<const std::int32_t> rows) {
  if (!zero_) adamw_.catch_up(params, rows);
}

void TrainerAdamW::flush(std::span<float> params) {
  if (!zero_) adamw_.flush(params);
}

void TrainerAdamW::step(std::span<float> params, std::span<const float> grads, double lr,
                        std::span<const std::int32_t> touched_rows) {
  if (!zero_) return adamw_.step(params, grads, lr, touched_rows);
  const int rank = world_.rank();
  const std::size_t lo = bounds_[rank], n = bounds_[rank + 1] - lo;
  adamw_.step(params.subspan(lo, n), grads.subspan(lo, n), lr);
  // All-gather, one broadcast per share: plain copies, so every process holds the bits
  // its owner computed.
  for (int r = 0; r < world_.size(); ++r) {
    const std::size_t begin = bounds_[r], count = bounds_[r + 1] - begin;
    std::vector<std::byte> message = r == rank ? bytes_of(params.data() + begin, count) : std::vector<std::byte>{};
    world_.broadcast(r, message);
    if (r == rank) continue;
    check_bytes(message, count, r);
    std::memcpy(params.data() + begin, message.data(), message.size());
  }
}

const AdamW* TrainerAdamW::whole_state(std::span<float> params) {
  if (!zero_) {
    adamw_.flush(params);
    return &adamw_;
  }
  const int rank = world_.rank();
  if (rank != 0) {
    world_.send(0, bytes_of(adamw_.exp_avg().data(), adamw_.num_params()));
    world_.send(0, bytes_of(adamw_.exp_avg_sq().data(), adamw_.num_params()));
    return nullptr;
  }
  std::vector<float> exp_avg(bounds_.back()), exp_avg_sq(bounds_.back());
  std::copy_n(adamw_.exp_avg().data(), adamw_.num_params(), exp_avg.data());
  std::copy_n(adamw_.exp_avg_sq().data(), adamw_.num_params(), exp_avg_sq.data());
  for (int r = 1; r < world_.size(); ++r) {
    const std::size_t begin = bounds_[r], count = bounds_[r + 1] - begin;
    for (std::vector<float>* moments : {&exp_avg, &exp_avg_sq}) {
      const std::vector<std::byte> message = world_.receive(r);
      check_bytes(message, count, r);
      std::memcpy(moments->data() + begin, message.data(), message.size());
    }
  }
  gathered_.emplace(segments_, options_);
  gathered_->restore(exp_avg, exp_avg_sq, adamw_.steps_taken());
  return &*gathered_;
}

}  // namespace bertcls::train
