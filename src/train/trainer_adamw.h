// The trainer's AdamW, in one of two shapes:
//  - whole: one AdamW over every parameter in this process, lazy in the word-embedding
//    rows (adamw.h); what a run of one process, or of several without ZeRO, uses;
//  - ZeRO stage 1 (zero = true, any world): each process keeps the moments of its own
//    contiguous share of the flat parameter buffer (1/N of them), updates that share
//    densely, which gives the bits lazy steps give, and then every share is broadcast so
//    that all processes hold every parameter again. Moments take 2/N of the memory they
//    take whole, for one parameter broadcast per step.
// Both give the same parameters bit for bit, so checkpoints are alike and a run resumes
// with or without ZeRO and with any number of processes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "dist/communicator.h"
#include "train/adamw.h"

namespace bertcls::train {

class TrainerAdamW {
 public:
  // `segments` tile a buffer of `size` parameters (as AdamW's).
  TrainerAdamW(const std::vector<ParamSegment>& segments, std::size_t size, const AdamWOptions& options,
               dist::Communicator& world, bool zero);

  // The moments of every parameter, as a checkpoint holds them; ZeRO keeps its share.
  void restore(std::span<const float> exp_avg, std::span<const float> exp_avg_sq, std::int64_t steps);
  // As AdamW's; nothing to do under ZeRO, whose steps are dense.
  void catch_up(std::span<float> params, std::span<const std::int32_t> rows);
  void flush(std::span<float> params);
  // One step of every parameter (whole: lazy in `touched_rows`; ZeRO: this process's
  // share, then every share broadcast). Every process of the world calls it.
  void step(std::span<float> params, std::span<const float> grads, double lr, std::span<const std::int32_t> touched_rows);

  // The whole optimizer state for a checkpoint, flushed: the AdamW itself, or under ZeRO
  // one assembled from every process's share on rank 0 (every process calls it; the
  // others get null).
  const AdamW* whole_state(std::span<float> params);

 private:
  dist::Communicator& world_;
  std::vector<ParamSegment> segments_;
  AdamWOptions options_;
  bool zero_;
  std::vector<std::size_t> bounds_;  // ZeRO: process r's share is [bounds_[r], bounds_[r + 1])
  AdamW adamw_;                      // whole, or this process's share
  std::optional<AdamW> gathered_;    // ZeRO on rank 0: the last whole_state()
};

}  // namespace bertcls::train
