// A truncated, oversized or hostile model.safetensors is refused with a message naming
// the file and the problem, never a crash (the suite also runs under ASan/UBSan).
#include <gtest/gtest.h>

#include <cstdint>

#include "io/safetensors.h"
#include "support/io_test_support.h"

namespace bertcls::io {
namespace {

const std::string kSource = "model.safetensors";

// 8-byte length + header text + data bytes.
std::vector<std::byte> file_with(const std::string& header, std::size_t data_bytes) {
  std::vector<std::byte> bytes(8);
  const uint64_t n = header.size();
  std::memcpy(bytes.data(), &n, 8);
  const auto text = test::to_bytes(header);
  bytes.insert(bytes.end(), text.begin(), text.end());
  bytes.resize(bytes.size() + data_bytes, std::byte{0});
  return bytes;
}

void expect_refused(const std::vector<std::byte>& bytes, std::initializer_list<std::string> phrases) {
  test::expect_error([&] { parse_safetensors(bytes, kSource); }, phrases);
  test::expect_error([&] { parse_safetensors(bytes, kSource); }, {kSource + ": "});
}

TEST(SafetensorsHostile, ValidMinimalFileParses) {
  const auto tensors = parse_safetensors(file_with(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", 8), kSource);
  ASSERT_EQ(tensors.size(), 1u);
  EXPECT_EQ(tensors[0].shape, std::vector<int64_t>{2});
}

TEST(SafetensorsHostile, TruncatedAtEveryOffsetIsRefused) {
  const auto whole = test::read_bytes(test::checkpoint_fixture("safetensors_f16/model.safetensors"));
  for (std::size_t size = 0; size < whole.size(); ++size) {
    const std::vector<std::byte> cut(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(size));
    EXPECT_THROW(parse_safetensors(cut, kSource), Error) << "cut at " << size;
  }
}

TEST(SafetensorsHostile, TooShortForTheLength) {
  expect_refused(test::to_bytes("abc"), {"truncated", "8-byte header length"});
}

TEST(SafetensorsHostile, HeaderLengthBeyondTheFile) {
  auto bytes = file_with(R"({})", 0);
  const uint64_t n = 1000;
  std::memcpy(bytes.data(), &n, 8);
  expect_refused(bytes, {"header length 1000 runs past the end of the file"});
}

TEST(SafetensorsHostile, HugeHeaderLength) {
  auto bytes = file_with(R"({})", 0);
  const uint64_t n = ~uint64_t{0};
  std::memcpy(bytes.data(), &n, 8);
  expect_refused(bytes, {"exceeds the 100 MB limit"});
}

TEST(SafetensorsHostile, InvalidJson) { expect_refused(file_with(R"({"a": )", 0), {"invalid JSON"}); }

TEST(SafetensorsHostile, NaNInTheHeaderIsInvalidJson) {
  expect_refused(file_with(R"({"a":{"dtype":"F32","shape":[NaN],"data_offsets":[0,4]}})", 4), {"invalid JSON"});
}

TEST(SafetensorsHostile, HeaderThatIsNotAnObject) { expect_refused(file_with(R"([1,2])", 0), {"not a JSON object"}); }

TEST(SafetensorsHostile, DuplicateKeys) {
  expect_refused(file_with(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", 8),
                 {"duplicate key \"a\""});
}

TEST(SafetensorsHostile, UnknownDtypeIsNamed) {
  expect_refused(file_with(R"({"w":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}})", 8), {"\"w\"", "dtype \"F64\" is not supported"});
}

TEST(SafetensorsHostile, NegativeShape) {
  expect_refused(file_with(R"({"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})", 4), {"\"w\"", "not a non-negative integer"});
}

TEST(SafetensorsHostile, FractionalShape) {
  expect_refused(file_with(R"({"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}})", 4), {"\"w\"", "not a non-negative integer"});
}

TEST(SafetensorsHostile, OverflowingShape) {
  expect_refused(file_with(R"({"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}})", 4),
                 {"\"w\"", "overflows"});
}

TEST(SafetensorsHostile, NegativeOffsets) {
  expect_refused(file_with(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[-4,0]}})", 4), {"\"w\"", "data_offsets"});
}

TEST(SafetensorsHostile, OffsetsOutsideTheFile) {
  expect_refused(file_with(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", 4), {"\"w\"", "outside the data section"});
}

TEST(SafetensorsHostile, OffsetsEndingBeforeTheyBegin) {
  expect_refused(file_with(R"({"w":{"dtype":"F32","shape":[0],"data_offsets":[4,0]}})", 4), {"\"w\"", "end before they begin"});
}

TEST(SafetensorsHostile, ShapeAndOffsetsDisagree) {
  expect_refused(file_with(R"({"w":{"dtype":"F16","shape":[3],"data_offsets":[0,8]}})", 8),
                 {"\"w\"", "shape [3] of F16 does not match data_offsets [0,8]"});
}

TEST(SafetensorsHostile, OverlappingTensors) {
  expect_refused(file_with(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})", 12),
                 {"\"b\"", "overlap"});
}

TEST(SafetensorsHostile, GapBetweenTensors) {
  expect_refused(file_with(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})", 12),
                 {"gap in the data section: bytes 4 to 8"});
}

TEST(SafetensorsHostile, TrailingBytesNoTensorCovers) {
  expect_refused(file_with(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", 12), {"12 bytes but the tensors cover 4"});
}

TEST(SafetensorsHostile, MetadataMustMapStringsToStrings) {
  expect_refused(file_with(R"({"__metadata__":{"format":1}})", 0), {"__metadata__ \"format\" is not a string"});
}

TEST(SafetensorsHostile, MissingOrExtraFields) {
  expect_refused(file_with(R"({"w":{"dtype":"F32","data_offsets":[0,4]}})", 4), {"\"w\"", "shape missing"});
  expect_refused(file_with(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":1}})", 4), {"\"w\"", "unexpected field \"x\""});
  expect_refused(file_with(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0]}})", 4), {"\"w\"", "data_offsets must be two"});
}

TEST(SafetensorsHostile, Int64ThatFp32CannotHoldExactly) {
  std::vector<std::byte> bytes = file_with(R"({"ids":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}})", 8);
  const int64_t big = (int64_t{1} << 24) + 1;
  std::memcpy(bytes.data() + bytes.size() - 8, &big, 8);
  expect_refused(bytes, {"\"ids\"", "16777217 is not exact in fp32"});
}

TEST(SafetensorsHostile, ReadingNamesTheFile) {
  test::ScratchDir dir;
  test::write_bytes(dir / "model.safetensors", test::to_bytes("short"));
  test::expect_error([&] { read_safetensors(dir / "model.safetensors"); }, {(dir / "model.safetensors").string() + ": truncated"});
  test::expect_error([&] { read_safetensors(dir / "missing.safetensors"); }, {"missing.safetensors: cannot open"});
  test::expect_error([&] { read_safetensors(dir.path()); }, {"not a regular file"});
}

}  // namespace
}  // namespace bertcls::io
