#include "pipeline/sharded_data.h"

#include <string>

#include <bertcls/error.h>
#include "dist/share_owned.h"
#include "train/data_parallel.h"

namespace bertcls::pipeline {
namespace {

// The rank that trains example i: the one whose shard range holds i's shard.
int owner_of(std::size_t example, std::int64_t shards, int ranks) {
  const std::int64_t shard = train::shard_of(example, shards);
  for (int r = 0; r < ranks; ++r)
    if (shard < train::rank_shards(shards, ranks, r).second) return r;
  return ranks - 1;
}

}  // namespace

bool trains_example(std::size_t example, std::int64_t shards, const dist::Communicator& world) {
  return owner_of(example, shards, world.size()) == world.rank();
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
  dist::share_owned(world, std::as_writable_bytes(std::span(encoded.lengths)), sizeof(int),
                    [&](std::size_t i) { return owner_of(i, shards, world.size()); }, "--shard-data");
}

}  // namespace bertcls::pipeline
