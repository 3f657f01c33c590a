// Data-parallel training whose numbers do not depend on the number of processes.
//
// Each batch is cut into `shards` fixed shards: example i belongs to shard i mod S, in
// every batch, so a process trains the same examples all run long (and --shard-data can
// leave the others' texts unread). Of a world of N processes, rank r runs shards
// [r*S/N, (r+1)*S/N). The batch's examples are taken in shard order (shard 0's in batch
// order, then shard 1's, ...); a shard's forward pass draws the dropout masks that whole
// reordered batch would draw for its rows (model::PackedOrigin), its loss is its share of
// the whole batch's mean (model::loss_denominator), and its gradient is computed from
// zero. The step's gradient is then the sum s_0 + s_1 + ... + s_{S-1} of every batch's
// shards, added in exactly that order, left to right: rank 0 adds its shards to the
// running sum and sends it to rank 1, which adds its own, and so on; the last rank
// broadcasts the result. The additions are the same ones in the same order whatever N
// is, so N = 1, 2, 3 ... processes give bit-identical losses, gradients and weights
// (while N <= S).
// MPI_Allreduce would not: its summation order changes with N and the algorithm.
//
// The chain is pipelined: the sum travels in 1 MB pieces, rank r passing one on while
// rank r + 1 adds to the previous, so a batch costs about two transfers of the gradient
// (the chain, then the broadcast) plus N - 1 pieces' latency, as a ring all-reduce does.
// Ranks compute their shards in parallel beforehand, keeping all but the last encoded:
// they can only be added once the lower ranks' sum has arrived.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include <bertcls/data.h>

#include "dist/communicator.h"
#include "io/dataset.h"
#include "model/bert_classifier.h"
#include "train/adamw.h"
#include "train/batching.h"
#include "train/encoded_examples.h"
#include "train/gradient_sum.h"
#include "train/trainer_adamw.h"

namespace bertcls::train {

// The shard example `example` (its index in the dataset) belongs to.
inline std::int64_t shard_of(std::size_t example, std::int64_t shards) {
  return static_cast<std::int64_t>(example % static_cast<std::size_t>(shards));
}
// Shards [first, second) of `shards` for `rank` of `ranks`.
std::pair<std::int64_t, std::int64_t> rank_shards(std::int64_t shards, int ranks, int rank);

class DataParallelBatches {
 public:
  // `segments` as the trainer's AdamW has them. Throws bertcls::Error when shards < 1 or
  // the world has more processes than shards.
  DataParallelBatches(model::BertClassifier& model, dist::Communicator& world, std::int64_t shards,
                      std::span<const ParamSegment> segments, tensor::Precision precision);

  // Trains one batch: this rank's shards forward (dropout keyed by `dropout_seed`) and
  // backward, every shard's gradient added to sum() in shard order; every rank then holds
  // the same sum. Returns the batch's loss. Rows the shards read are caught up in `adamw`
  // first. Reads the encodings of this rank's shards' examples only.
  double run(const Batch& indices, const EncodedExamples& encoded, const std::vector<io::Example>& examples, Task task,
             int num_labels, std::span<const float> class_weights, std::uint64_t dropout_seed, TrainerAdamW& adamw);

  // The gradient summed since the last clear(): the step's, after the last batch of its group.
  GradientSum& sum() { return sum_; }

 private:
  model::BertClassifier& model_;
  dist::Communicator& world_;
  std::int64_t shards_;
  tensor::Precision precision_;  // of the shards' dense products
  GradientSum sum_;
  model::Batch shard_;
  Batch ordered_;  // the batch in shard order
  std::vector<EncodedGradient> pending_;  // this rank's shards computed before the lower ranks' sum came
  double pending_loss_ = 0.0;             // the loss of the shard left in the workspace
  EncodedGradient message_;
};

}  // namespace bertcls::train
