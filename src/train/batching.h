// Which examples go together in a batch. Batches hold example indices; the engine packs
// each batch's real tokens end to end (no padding), so grouping similar lengths only
// evens out the work per batch and per attention call.
//
// Training order, per epoch (deterministic for a seed and epoch):
//  1. shuffle all indices;
//  2. cut them into chunks of bucket_batches * batch_size and sort each chunk by length
//     (stable), the "bucket by length" of fairseq/AllenNLP samplers: batches come out of
//     one chunk, so lengths within a batch are close while the epoch stays random;
//  3. cut each chunk into batches of batch_size (only the epoch's last chunk can leave a
//     smaller batch) and shuffle the batch order.
// Every example appears in exactly one batch per epoch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace bertcls::train {

using Batch = std::vector<std::size_t>;

inline constexpr std::size_t kDefaultBucketBatches = 50;

// lengths[i]: the token count of example i (after truncation to --max-length).
std::vector<Batch> make_train_batches(std::span<const int> lengths, std::size_t batch_size, std::uint64_t seed,
                                      std::uint64_t epoch, std::size_t bucket_batches = kDefaultBucketBatches);

// Evaluation and prediction order: indices sorted by length, longest first (stable, so
// equal lengths keep input order), and cut into batches. Longest first, because the first
// batch then needs the most memory of any: a workspace's arena grows once instead of at
// nearly every batch, each time on fresh pages (their faults were 5% of an int8 bert-base
// profile). Write each result to out[index] to restore input order.
std::vector<Batch> make_eval_batches(std::span<const int> lengths, std::size_t batch_size);

}  // namespace bertcls::train
