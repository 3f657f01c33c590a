#include "pipeline/sharded_data.h"

#include <cstring>
#include <string>

#include <bertcls/error.h>
#include "train/data_parallel.h"

namespace bertcls::pipeline {
namespace {

bool rank_trains(std::size_t example, std::int64_t shards, int ranks, int rank) {
  const auto [first, last] = train::rank_shards(shards, ranks, rank);
  const std::int64_t shard = train::shard_of(example, shards);
  return shard >= first && shard < last;
}

}  // namespace

bool trains_example(std::size_t example, std::int64_t shards, const dist::Communicator& world) {
  return rank_trains(example, shards, world.size(), world.rank());
}

void drop_others_texts(std::vector<io::Example>& examples, std::int64_t shards, const dist::Communicator& world) {
  for (std::size_t i = 0; i < examples.size(); ++i)
    if (!trains_example(i, shards, world)) {
      std::string().swap(examples[i].text);
      std::string().swap(examples[i].text_pair);
    }
}

void share_lengths(train::EncodedExamples& encoded, std::int64_t shards, dist::Communicator& world) {
  if (encoded.size() != encoded.examples) throw Error("--shard-data needs one window per text (not --long-texts chunk)");
  for (int r = 0; r < world.size(); ++r) {
    std::vector<std::byte> message;
    if (r == world.rank())
      for (std::size_t i = 0; i < encoded.size(); ++i)
        if (rank_trains(i, shards, world.size(), r)) {
          const auto* bytes = reinterpret_cast<const std::byte*>(&encoded.lengths[i]);
          message.insert(message.end(), bytes, bytes + sizeof(int));
        }
    world.broadcast(r, message);
    if (r == world.rank()) continue;
    std::size_t at = 0;
    for (std::size_t i = 0; i < encoded.size(); ++i)
      if (rank_trains(i, shards, world.size(), r)) {
        if (at + sizeof(int) > message.size()) throw Error("--shard-data: process " + std::to_string(r) + " sent too few lengths");
        std::memcpy(&encoded.lengths[i], message.data() + at, sizeof(int));
        at += sizeof(int);
      }
  }
}

}  // namespace bertcls::pipeline
