#include "train/data_parallel.h"

#include <algorithm>
#include <string>

#include <bertcls/error.h>
#include "train/evaluation.h"

namespace bertcls::train {
namespace {

// 1 MB: small enough that the chain's pipeline fills fast (rubert-tiny2's gradient is 12
// pieces, bert-base's 330), large enough that a message's latency (tens of microseconds
// over Ethernet) stays small against its transfer (0.8 ms at 10 Gbit/s).
constexpr std::size_t kPieceValues = std::size_t{1} << 18;

// What the whole batch's mean divides by (model::loss_denominator), from the examples'
// labels in the batch's shard order.
double batch_denominator(const Batch& ordered, const EncodedExamples& encoded, const std::vector<io::Example>& examples,
                         Task task, int num_labels, std::span<const float> class_weights) {
  if (task != Task::SingleLabel) return static_cast<double>(ordered.size()) * num_labels;
  double sum = 0.0;
  for (std::size_t w : ordered) {
    const int label = examples[encoded.example_of[w]].label;
    if (label < 0 || label >= num_labels) throw Error("batch: class label " + std::to_string(label) + " is outside 0.." +
                                                      std::to_string(num_labels - 1));
    sum += class_weights.empty() ? 1.0 : class_weights[static_cast<std::size_t>(label)];
  }
  return sum;
}

}  // namespace

std::pair<std::int64_t, std::int64_t> rank_shards(std::int64_t shards, int ranks, int rank) {
  return {rank * shards / ranks, (rank + 1) * shards / ranks};
}

DataParallelBatches::DataParallelBatches(model::BertClassifier& model, dist::Communicator& world, std::int64_t shards,
                                         std::span<const ParamSegment> segments, tensor::Precision precision)
    : model_(model), world_(world), shards_(shards), precision_(precision), sum_(segments, model.parameters().size()) {
  if (shards < 1) throw Error("grad_shards must be at least 1");
  if (shards < world.size())
    throw Error("grad_shards " + std::to_string(shards) + " is fewer than the " + std::to_string(world.size()) +
                " processes: every process needs at least one shard of each batch");
}

double DataParallelBatches::run(const Batch& indices, const EncodedExamples& encoded,
                                const std::vector<io::Example>& examples, Task task, int num_labels,
                                std::span<const float> class_weights, std::uint64_t dropout_seed, TrainerAdamW& adamw) {
  const double loss_before = sum_.loss();
  std::vector<std::size_t> shard_start(static_cast<std::size_t>(shards_) + 1, 0);
  ordered_.clear();
  for (std::int64_t k = 0; k < shards_; ++k) {
    for (std::size_t w : indices)
      if (shard_of(encoded.example_of[w], shards_) == k) ordered_.push_back(w);
    shard_start[static_cast<std::size_t>(k) + 1] = ordered_.size();
  }
  const double denominator = batch_denominator(ordered_, encoded, examples, task, num_labels, class_weights);

  const int rank = world_.rank(), ranks = world_.size();
  const auto [first, last] = rank_shards(shards_, ranks, rank);
  pending_.resize(static_cast<std::size_t>(last - first));
  bool in_workspace = false;  // the last shard's gradient, still in the workspace
  std::size_t encoded_shards = 0;
  model::PackedOrigin origin;  // where the next shard starts in the reordered batch
  std::size_t at = 0;
  for (std::int64_t k = first; k < last; ++k) {
    const std::size_t begin = shard_start[static_cast<std::size_t>(k)], end = shard_start[static_cast<std::size_t>(k) + 1];
    for (; at < begin; ++at) {
      const auto L = static_cast<std::uint64_t>(encoded.lengths[ordered_[at]]);
      ++origin.sequences;
      origin.tokens += L;
      origin.squared_lengths += L * L;
    }
    if (begin == end) continue;  // no example of this shard in the batch
    const Batch shard_indices(ordered_.begin() + static_cast<std::ptrdiff_t>(begin),
                              ordered_.begin() + static_cast<std::ptrdiff_t>(end));
    fill_batch(shard_, shard_indices, encoded, &examples, task, num_labels);
    adamw.catch_up(model_.parameters(), shard_.ids);
    model_.forward(shard_, {.dropout = true, .backward = true, .seed = dropout_seed, .origin = origin, .precision = precision_});
    const double loss = model_.loss(shard_, class_weights, denominator);
    model_.zero_grad();
    model_.backward();
    const std::span<const std::int32_t> rows = model_.workspace().touched_word_rows();
    if (rank == 0) {
      sum_.add(model_.grads(), rows, loss);  // rank 0 holds the sum its shards come after
    } else if (k + 1 == last) {
      in_workspace = true;
      pending_loss_ = loss;
    } else {
      sum_.encode(model_.grads(), rows, loss, pending_[encoded_shards++]);
    }
  }
  if (ranks == 1) return sum_.loss() - loss_before;

  // The chain, pipelined: the values outside the word embeddings travel in pieces, so
  // that rank r + 1 adds its shards to one piece while rank r works on the next; then the
  // touched rows and the loss. Each element still gets the same additions in the same order.
  const std::size_t dense = sum_.dense_size();
  for (std::size_t lo = 0; lo < dense; lo += kPieceValues) {
    const std::size_t hi = std::min(dense, lo + kPieceValues);
    if (rank > 0) {
      sum_.assign_dense(lo, world_.receive(rank - 1));
      for (std::size_t i = 0; i < encoded_shards; ++i) sum_.add_dense(lo, hi, pending_[i]);
      if (in_workspace) sum_.add_dense(lo, hi, model_.grads());
    }
    if (rank + 1 < ranks) {
      sum_.encode_dense(lo, hi, message_);
      world_.send(rank + 1, message_);
    }
  }
  if (rank > 0) {
    sum_.assign_rows(world_.receive(rank - 1));
    for (std::size_t i = 0; i < encoded_shards; ++i) sum_.add_rows(pending_[i]);
    if (in_workspace) sum_.add_rows(model_.grads(), model_.workspace().touched_word_rows(), pending_loss_);
  }
  if (rank + 1 < ranks) {
    sum_.encode_rows(message_);
    world_.send(rank + 1, message_);
  }
  if (rank + 1 == ranks) sum_.encode(message_);
  world_.broadcast(ranks - 1, message_);
  if (rank + 1 < ranks) sum_.assign(message_);
  return sum_.loss() - loss_before;
}

}  // namespace bertcls::train
