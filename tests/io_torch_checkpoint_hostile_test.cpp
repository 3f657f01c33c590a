// A hostile or broken pytorch_model.bin is refused with a message naming the file and
// the problem: pickles that call anything but the state-dict allow-list (named), views
// outside their storage, truncated or corrupted zip archives. Never a crash.
#include <gtest/gtest.h>

#include <cstdint>

#include "io/pickle_reader.h"
#include "io/torch_checkpoint.h"
#include "io/zip_reader.h"
#include "support/io_test_support.h"

namespace bertcls::io {
namespace {

const std::string kSource = "pytorch_model.bin";

// A stored (uncompressed) zip, as torch.save writes it minus the ZIP64 records.
std::vector<std::byte> make_zip(const std::vector<std::pair<std::string, std::string>>& entries, uint16_t method = 0) {
  std::string out, central;
  const auto u16 = [](std::string& s, uint16_t v) { s.append(reinterpret_cast<const char*>(&v), 2); };
  const auto u32 = [](std::string& s, uint32_t v) { s.append(reinterpret_cast<const char*>(&v), 4); };
  for (const auto& [name, data] : entries) {
    const uint32_t crc = crc32(test::to_bytes(data));
    const auto offset = static_cast<uint32_t>(out.size());
    u32(out, 0x04034b50), u16(out, 20), u16(out, 0), u16(out, method), u32(out, 0), u32(out, crc);
    u32(out, static_cast<uint32_t>(data.size())), u32(out, static_cast<uint32_t>(data.size()));
    u16(out, static_cast<uint16_t>(name.size())), u16(out, 0);
    out += name + data;
    u32(central, 0x02014b50), u16(central, 20), u16(central, 20), u16(central, 0), u16(central, method), u32(central, 0);
    u32(central, crc), u32(central, static_cast<uint32_t>(data.size())), u32(central, static_cast<uint32_t>(data.size()));
    u16(central, static_cast<uint16_t>(name.size())), u16(central, 0), u16(central, 0), u16(central, 0), u16(central, 0);
    u32(central, 0), u32(central, offset);
    central += name;
  }
  const auto central_offset = static_cast<uint32_t>(out.size());
  out += central;
  u32(out, 0x06054b50), u16(out, 0), u16(out, 0), u16(out, static_cast<uint16_t>(entries.size()));
  u16(out, static_cast<uint16_t>(entries.size())), u32(out, static_cast<uint32_t>(central.size())), u32(out, central_offset);
  u16(out, 0);
  return test::to_bytes(out);
}

std::string binunicode(const std::string& s) {
  const auto n = static_cast<uint32_t>(s.size());
  return "X" + std::string(reinterpret_cast<const char*>(&n), 4) + s;
}

// {name: _rebuild_tensor_v2(storage key "0" of `numel` floats, offset, size, stride)}.
std::string one_tensor_pickle(int numel, int offset, const std::string& size_and_stride, const std::string& hooks = "}") {
  return "\x80\x02" "ccollections\nOrderedDict\n)R(" + binunicode("w") + "ctorch._utils\n_rebuild_tensor_v2\n((" +
         binunicode("storage") + "ctorch\nFloatStorage\n" + binunicode("0") + binunicode("cpu") + "K" +
         std::string(1, static_cast<char>(numel)) + "tQK" + std::string(1, static_cast<char>(offset)) + size_and_stride +
         "\x89" + hooks + "tRu.";
}

std::vector<std::byte> archive_with(const std::string& pickle, const std::string& storage) {
  return make_zip({{"archive/data.pkl", pickle}, {"archive/data/0", storage}, {"archive/version", "3\n"}});
}

void expect_pickle_refused(const std::string& pickle, std::initializer_list<std::string> phrases) {
  test::expect_error([&] { read_state_dict_pickle(test::to_bytes(pickle), kSource); }, phrases);
  test::expect_error([&] { read_state_dict_pickle(test::to_bytes(pickle), kSource); }, {kSource + ": "});
}

TEST(TorchCheckpointHostile, CraftedArchiveLoads) {
  // size (2,), stride (2,), offset 1 over floats 0..4: elements 1 and 3.
  const std::vector<float> storage = {0, 1, 2, 3, 4};
  const std::string bytes(reinterpret_cast<const char*>(storage.data()), 20);
  const auto tensors = parse_torch_checkpoint(archive_with(one_tensor_pickle(5, 1, "K\x02\x85K\x02\x85"), bytes), kSource);
  ASSERT_EQ(tensors.size(), 1u);
  EXPECT_EQ(tensors[0].data, (std::vector<float>{1, 3}));
}

TEST(TorchCheckpointHostile, ForbiddenGlobalIsNamed) {
  expect_pickle_refused("\x80\x02" "cos\nsystem\n" + binunicode("ls") + "\x85R.", {"pickle calls os.system: not a plain state dict"});
}

TEST(TorchCheckpointHostile, ForbiddenStackGlobalIsNamed) {
  expect_pickle_refused("\x80\x04\x8c\x08" "builtins\x8c\x04" "eval\x93.", {"pickle calls builtins.eval"});
}

TEST(TorchCheckpointHostile, LoadFromBytesIsRefused) {
  expect_pickle_refused("\x80\x02" "ctorch.storage\n_load_from_bytes\n.", {"pickle calls torch.storage._load_from_bytes"});
}

TEST(TorchCheckpointHostile, ForbiddenGlobalInsideAnArchiveNamesFileAndEntry) {
  const auto bytes = make_zip({{"archive/data.pkl", "\x80\x02" "cposix\nsystem\n."}});
  test::expect_error([&] { parse_torch_checkpoint(bytes, kSource); }, {"pytorch_model.bin: archive/data.pkl", "posix.system"});
}

TEST(TorchCheckpointHostile, NotADict) { expect_pickle_refused("\x80\x02].", {"holds a list, not a state dict"}); }

TEST(TorchCheckpointHostile, ValueThatIsNotATensor) {
  expect_pickle_refused("\x80\x02}(" + binunicode("step") + "K\x01u.", {"entry \"step\" holds an int, not a tensor"});
  expect_pickle_refused("\x80\x02}(" + binunicode("state_dict") + "}u.", {"entry \"state_dict\" holds a dict"});
}

TEST(TorchCheckpointHostile, UnsupportedOpcode) { expect_pickle_refused("\x80\x02I1\n.", {"unsupported pickle opcode 0x49"}); }

TEST(TorchCheckpointHostile, StackAndMemoMisuse) {
  expect_pickle_refused("\x80\x02t.", {"no MARK"});
  expect_pickle_refused("\x80\x02h\x07.", {"memo key 7 was never stored"});
  expect_pickle_refused("\x80\x02R.", {"stack underflow"});
  expect_pickle_refused("\x80\x02}}.", {"STOP with 2 objects"});
  expect_pickle_refused("\x80\x02(}}u.", {"stack underflow"});
}

TEST(TorchCheckpointHostile, TensorWithBackwardHooksIsRefused) {
  expect_pickle_refused(one_tensor_pickle(1, 0, "K\x01\x85K\x01\x85", "}K\x01K\x02s"), {"backward hooks"});
}

TEST(TorchCheckpointHostile, TruncatedPickleAtEveryOffset) {
  const std::string pickle = one_tensor_pickle(1, 0, "K\x01\x85K\x01\x85");
  for (std::size_t size = 0; size < pickle.size(); ++size) {
    EXPECT_THROW(read_state_dict_pickle(test::to_bytes(pickle.substr(0, size)), kSource), Error) << "cut at " << size;
  }
}

TEST(TorchCheckpointHostile, ViewOutsideItsStorage) {
  const std::string four_floats(16, '\0');
  test::expect_error([&] { parse_torch_checkpoint(archive_with(one_tensor_pickle(4, 2, "K\x02\x85K\x02\x85"), four_floats), kSource); },
                     {kSource, "\"w\"", "reaches element 4 of a storage of 4"});
}

TEST(TorchCheckpointHostile, StorageSizeDisagreesWithItsHeader) {
  test::expect_error([&] { parse_torch_checkpoint(archive_with(one_tensor_pickle(5, 0, "K\x01\x85K\x01\x85"), std::string(8, '\0')), kSource); },
                     {kSource, "\"w\"", "has 8 bytes, not the 5 elements"});
}

TEST(TorchCheckpointHostile, MissingStorage) {
  const auto bytes = make_zip({{"archive/data.pkl", one_tensor_pickle(1, 0, "K\x01\x85K\x01\x85")}});
  test::expect_error([&] { parse_torch_checkpoint(bytes, kSource); }, {"storage \"0\" is missing"});
}

TEST(TorchCheckpointHostile, ArchiveWithoutDataPkl) {
  test::expect_error([&] { parse_torch_checkpoint(make_zip({{"archive/other", "x"}}), kSource); }, {kSource, "no <name>/data.pkl"});
}

TEST(TorchCheckpointHostile, CompressedEntryIsNamed) {
  test::expect_error([&] { parse_torch_checkpoint(make_zip({{"archive/data.pkl", "x"}}, 8), kSource); },
                     {kSource, "\"archive/data.pkl\" is compressed (method 8)"});
}

TEST(TorchCheckpointHostile, LegacyFormatIsExplained) {
  test::expect_error([&] { parse_torch_checkpoint(test::to_bytes("\x80\x02\x8a\x0alegacy"), kSource); }, {kSource, "legacy"});
}

TEST(TorchCheckpointHostile, NotAZip) {
  test::expect_error([&] { parse_torch_checkpoint(test::to_bytes(std::string(100, 'z')), kSource); },
                     {kSource, "no end of central directory"});
}

TEST(TorchCheckpointHostile, TruncatedArchiveAtEveryOffset) {
  const auto whole = test::read_bytes(test::checkpoint_fixture("torch_bin/pytorch_model.bin"));
  for (std::size_t size = 0; size < whole.size(); size += 7) {
    const std::vector<std::byte> cut(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(size));
    EXPECT_THROW(parse_torch_checkpoint(cut, kSource), Error) << "cut at " << size;
  }
}

TEST(TorchCheckpointHostile, CorruptedDataFailsItsCrc) {
  auto bytes = test::read_bytes(test::checkpoint_fixture("torch_bin/pytorch_model.bin"));
  bytes[1000] ^= std::byte{0x40};  // inside a storage
  test::expect_error([&] { parse_torch_checkpoint(bytes, kSource); }, {kSource, "fails its CRC-32 check"});
}

TEST(TorchCheckpointHostile, BadCentralDirectory) {
  const auto whole = test::read_bytes(test::checkpoint_fixture("torch_bin/pytorch_model.bin"));
  // The ZIP64 end record (which torch always writes) locates the central directory.
  std::size_t record = whole.size() - 22 - 20 - 56;
  uint32_t signature = 0;
  std::memcpy(&signature, whole.data() + record, 4);
  ASSERT_EQ(signature, 0x06064b50u);
  uint64_t directory = 0;
  std::memcpy(&directory, whole.data() + record + 48, 8);

  auto bad_signature = whole;
  bad_signature[directory] = std::byte{'X'};
  test::expect_error([&] { parse_torch_checkpoint(bad_signature, kSource); }, {kSource, "central directory entry 0 is missing or damaged"});

  auto outside = whole;
  const uint64_t far = 1ull << 40;
  std::memcpy(outside.data() + record + 48, &far, 8);
  test::expect_error([&] { parse_torch_checkpoint(outside, kSource); }, {kSource, "central directory", "lies outside the file"});

  auto too_many = whole;
  const uint64_t count = 1ull << 50;
  std::memcpy(too_many.data() + record + 32, &count, 8);
  test::expect_error([&] { parse_torch_checkpoint(too_many, kSource); }, {kSource, "entries cannot fit"});

  auto bad_local = whole;
  uint64_t local = 0;  // the first entry's local header offset (central entry + 42)
  std::memcpy(&local, whole.data() + directory + 42, 4);
  bad_local[local] = std::byte{'X'};
  test::expect_error([&] { parse_torch_checkpoint(bad_local, kSource); }, {kSource, "has no local header"});
}

}  // namespace
}  // namespace bertcls::io
