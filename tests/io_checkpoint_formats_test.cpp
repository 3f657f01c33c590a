// Every checkpoint format bertcls reads yields the same tensors, bit for bit, as
// PyTorch's .float() of the saved state dict (fixtures from
// tools/make_checkpoint_fixtures.py); saving and reading back is exact.
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "io/model_weights.h"
#include "io/safetensors.h"
#include "io/torch_checkpoint.h"
#include "support/io_test_support.h"

namespace bertcls::io {
namespace {

using test::checkpoint_fixture;

std::vector<uint32_t> float_bits(const std::vector<float>& values) {
  std::vector<uint32_t> bits;
  for (const float v : values) bits.push_back(std::bit_cast<uint32_t>(v));
  return bits;
}

std::vector<uint32_t> raw_fp32_bits(const std::filesystem::path& file) {
  const auto bytes = test::read_bytes(file);
  std::vector<uint32_t> bits(bytes.size() / 4);
  std::memcpy(bits.data(), bytes.data(), bits.size() * 4);
  return bits;
}

// The tensors torch holds for a variant (f32, f16, bf16), in state-dict order.
std::vector<NamedTensor> expected_tensors(const std::string& variant) {
  const auto list = nlohmann::json::parse(test::read_bytes(checkpoint_fixture("expected.json")));
  const auto bits = raw_fp32_bits(checkpoint_fixture("expected_" + variant + ".bin"));
  std::vector<NamedTensor> tensors;
  std::size_t offset = 0;
  for (const auto& entry : list["tensors"]) {
    NamedTensor t{entry["name"], entry["shape"].get<std::vector<int64_t>>(), {}};
    std::size_t count = 1;
    for (const auto d : t.shape) count *= static_cast<std::size_t>(d);
    for (std::size_t i = 0; i < count; ++i) t.data.push_back(std::bit_cast<float>(bits.at(offset + i)));
    offset += count;
    tensors.push_back(std::move(t));
  }
  EXPECT_EQ(offset, bits.size());
  return tensors;
}

void expect_same_tensors(const std::vector<NamedTensor>& actual, const std::vector<NamedTensor>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(actual[i].name, expected[i].name);
    EXPECT_EQ(actual[i].shape, expected[i].shape) << expected[i].name;
    EXPECT_EQ(float_bits(actual[i].data), float_bits(expected[i].data)) << expected[i].name;
  }
}

TEST(CheckpointFormats, SafetensorsF32MatchesTorch) {
  expect_same_tensors(read_safetensors(checkpoint_fixture("safetensors_f32/model.safetensors")), expected_tensors("f32"));
}

TEST(CheckpointFormats, SafetensorsF16WidensAsTorchFloat) {
  expect_same_tensors(read_safetensors(checkpoint_fixture("safetensors_f16/model.safetensors")), expected_tensors("f16"));
}

TEST(CheckpointFormats, SafetensorsBf16WidensAsTorchFloat) {
  expect_same_tensors(read_safetensors(checkpoint_fixture("safetensors_bf16/model.safetensors")), expected_tensors("bf16"));
}

TEST(CheckpointFormats, TorchBinWithTiedSharedAndStridedTensorsMatchesTorch) {
  expect_same_tensors(read_torch_checkpoint(checkpoint_fixture("torch_bin/pytorch_model.bin")), expected_tensors("f32"));
}

TEST(CheckpointFormats, SpecialHalfValuesWidenBitExactly) {
  // Subnormals, infinities, NaN payloads (F16 signalling NaNs come out quiet, BF16 ones
  // unchanged), both zeros: the bits torch's .float() produced.
  for (const std::string variant : {"f16", "bf16"}) {
    const auto expected = raw_fp32_bits(checkpoint_fixture("special/expected_" + variant + ".bin"));
    for (const auto& tensors : {read_safetensors(checkpoint_fixture("special/" + variant + ".safetensors")),
                                read_torch_checkpoint(checkpoint_fixture("special/" + variant + ".bin"))}) {
      ASSERT_EQ(tensors.size(), 1u);
      EXPECT_EQ(tensors[0].name, "special");
      EXPECT_EQ(float_bits(tensors[0].data), expected) << variant;
    }
  }
}

TEST(CheckpointFormats, ModelFolderPicksWhicheverFormatIsThere) {
  const auto f32 = expected_tensors("f32");
  expect_same_tensors(read_model_weights(checkpoint_fixture("safetensors_f32")), f32);
  expect_same_tensors(read_model_weights(checkpoint_fixture("torch_bin")), f32);
  expect_same_tensors(read_model_weights(checkpoint_fixture("sharded")), f32);
}

TEST(CheckpointFormats, ModelFolderWithoutWeightsListsWhatWasLookedFor) {
  test::ScratchDir dir;
  test::expect_error([&] { read_model_weights(dir.path()); },
                     {dir.path().string(), "model.safetensors", "model.safetensors.index.json", "pytorch_model.bin"});
}

TEST(CheckpointFormats, WriteThenReadIsBitExact) {
  test::ScratchDir dir;
  const auto tensors = expected_tensors("f16");
  std::vector<TensorRef> refs;
  for (const auto& t : tensors) refs.push_back({t.name, t.shape, t.data.data()});
  const auto file = dir / "model.safetensors";
  write_safetensors(file, refs);
  expect_same_tensors(read_safetensors(file), tensors);

  // Special bit patterns (NaN payloads, subnormals, -0) survive too.
  const auto special = read_safetensors(checkpoint_fixture("special/bf16.safetensors"));
  write_safetensors(file, {{"special", special[0].shape, special[0].data.data()}});
  EXPECT_EQ(float_bits(read_safetensors(file)[0].data), float_bits(special[0].data));
}

TEST(CheckpointFormats, WrittenFileFollowsTheSpec) {
  test::ScratchDir dir;
  const std::vector<float> a = {1, 2, 3, 4, 5, 6};
  const std::vector<float> b = {7};
  write_safetensors(dir / "m.safetensors", {{"a.weight", {2, 3}, a.data()}, {"b", {}, b.data()}});
  const auto bytes = test::read_bytes(dir / "m.safetensors");
  uint64_t header_size = 0;
  std::memcpy(&header_size, bytes.data(), 8);
  EXPECT_EQ(header_size % 8, 0u);  // data section aligned
  ASSERT_EQ(bytes.size(), 8 + header_size + 7 * 4);
  const auto header = nlohmann::json::parse(std::string(reinterpret_cast<const char*>(bytes.data()) + 8, header_size));
  EXPECT_EQ(header["__metadata__"], nlohmann::json({{"format", "pt"}}));
  EXPECT_EQ(header["a.weight"], nlohmann::json({{"dtype", "F32"}, {"shape", {2, 3}}, {"data_offsets", {0, 24}}}));
  EXPECT_EQ(header["b"], nlohmann::json({{"dtype", "F32"}, {"shape", nlohmann::json::array()}, {"data_offsets", {24, 28}}}));
}

TEST(CheckpointFormats, WritingRefusesDuplicateNames) {
  test::ScratchDir dir;
  const float x = 1;
  test::expect_error([&] { write_safetensors(dir / "m.safetensors", {{"w", {1}, &x}, {"w", {1}, &x}}); }, {"m.safetensors", "\"w\""});
  EXPECT_FALSE(std::filesystem::exists(dir / "m.safetensors"));
}

}  // namespace
}  // namespace bertcls::io
