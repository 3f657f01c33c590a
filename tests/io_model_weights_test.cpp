// read_model_weights on a sharded checkpoint validates its index: every shard named
// exists inside the folder, every key is where the index says, nothing is unaccounted.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "io/model_weights.h"
#include "support/io_test_support.h"

namespace bertcls::io {
namespace {

const std::string kShard1 = "model-00001-of-00002.safetensors";
const std::string kShard2 = "model-00002-of-00002.safetensors";

// A copy of the sharded fixture whose index the test then edits.
class ShardedCopy {
 public:
  ShardedCopy() {
    for (const auto& entry : std::filesystem::directory_iterator(test::checkpoint_fixture("sharded"))) {
      std::filesystem::copy_file(entry.path(), dir_ / entry.path().filename().string());
    }
    index_ = nlohmann::json::parse(test::read_bytes(index_file()));
  }
  std::filesystem::path index_file() const { return dir_ / "model.safetensors.index.json"; }
  nlohmann::json& weight_map() { return index_["weight_map"]; }
  void save() { test::write_bytes(index_file(), test::to_bytes(index_.dump())); }
  const std::filesystem::path& dir() const { return dir_.path(); }

 private:
  test::ScratchDir dir_;
  nlohmann::json index_;
};

TEST(ModelWeights, ShardedIndexLoads) {
  ShardedCopy copy;
  EXPECT_FALSE(read_model_weights(copy.dir()).empty());
}

TEST(ModelWeights, MissingShardIsNamed) {
  ShardedCopy copy;
  std::filesystem::remove(copy.dir() / kShard2);
  test::expect_error([&] { read_model_weights(copy.dir()); },
                     {copy.index_file().string(), "shard \"" + kShard2 + "\" named by the index does not exist"});
}

TEST(ModelWeights, ShardOutsideTheFolderIsRefused) {
  ShardedCopy copy;
  copy.weight_map()["classifier.bias"] = "../../etc/passwd";
  copy.save();
  test::expect_error([&] { read_model_weights(copy.dir()); }, {"\"classifier.bias\"", "is not a file name in the model folder"});
}

TEST(ModelWeights, KeyInAnotherShardThanTheIndexSays) {
  ShardedCopy copy;
  copy.weight_map()["classifier.bias"] = kShard1;  // it lives in shard 2
  copy.save();
  test::expect_error([&] { read_model_weights(copy.dir()); }, {"\"classifier.bias\" is not in shard \"" + kShard1 + "\""});
}

TEST(ModelWeights, KeyTheIndexDoesNotList) {
  ShardedCopy copy;
  copy.weight_map().erase("classifier.bias");
  copy.save();
  test::expect_error([&] { read_model_weights(copy.dir()); }, {"holds \"classifier.bias\", which the index does not assign to it"});
}

TEST(ModelWeights, BrokenIndex) {
  ShardedCopy copy;
  test::write_bytes(copy.index_file(), test::to_bytes(R"({"metadata": {}})"));
  test::expect_error([&] { read_model_weights(copy.dir()); }, {copy.index_file().string(), "\"weight_map\" missing"});
  test::write_bytes(copy.index_file(), test::to_bytes(R"({"weight_map": {"a": 1}})"));
  test::expect_error([&] { read_model_weights(copy.dir()); }, {"\"a\"", "shard must be a file name"});
}

TEST(ModelWeights, SafetensorsIsPreferredOverTorchBin) {
  test::ScratchDir dir;
  std::filesystem::copy_file(test::checkpoint_fixture("special/f16.safetensors"), dir / "model.safetensors");
  test::write_bytes(dir / "pytorch_model.bin", test::to_bytes("not even a zip"));
  EXPECT_EQ(read_model_weights(dir.path()).at(0).name, "special");
}

}  // namespace
}  // namespace bertcls::io
