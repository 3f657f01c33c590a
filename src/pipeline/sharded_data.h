// --shard-data: in a data-parallel run each process keeps the texts of the examples it
// trains (those of its shards, train/data_parallel.h) and forgets the rest once read;
// batching still sees every example's length, which the process that keeps it shares.
#pragma once

#include <cstdint>
#include <vector>

#include "dist/communicator.h"
#include "io/dataset.h"
#include "train/encoded_examples.h"

namespace bertcls::pipeline {

// Whether this process trains example i of `shards`.
bool trains_example(std::size_t example, std::int64_t shards, const dist::Communicator& world);

// Empties the texts of the examples other processes train (labels stay: losses and class
// weights need every label).
void drop_others_texts(std::vector<io::Example>& examples, std::int64_t shards, const dist::Communicator& world);

// Fills in the lengths of the examples other processes train, from those processes; the
// encodings must have one window per example. Every process calls it.
void share_lengths(train::EncodedExamples& encoded, std::int64_t shards, dist::Communicator& world);

}  // namespace bertcls::pipeline
