// write_file_atomically: readers see the old file or the whole new one, never a part,
// and a failed write leaves no temp file behind.
#include <gtest/gtest.h>

#include <stdexcept>

#include "io/atomic_file.h"
#include "support/io_test_support.h"

namespace bertcls::io {
namespace {

std::vector<std::string> files_in(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(AtomicFile, ReplacesTheFileWhole) {
  test::ScratchDir dir;
  const auto file = dir / "config.json";
  write_file_atomically(file, [](std::ostream& out) { out << "old"; });
  write_file_atomically(file, [](std::ostream& out) { out << "new content"; });
  EXPECT_EQ(test::read_bytes(file), test::to_bytes("new content"));
  EXPECT_EQ(files_in(dir.path()), std::vector<std::string>{"config.json"});
}

TEST(AtomicFile, FailedWriteKeepsTheOldFileAndLeavesNoTemp) {
  test::ScratchDir dir;
  const auto file = dir / "model.safetensors";
  write_file_atomically(file, [](std::ostream& out) { out << "old"; });
  EXPECT_THROW(write_file_atomically(file,
                                     [](std::ostream& out) {
                                       out << "half of the new";
                                       throw std::runtime_error("disk on fire");
                                     }),
               std::runtime_error);
  EXPECT_EQ(test::read_bytes(file), test::to_bytes("old"));
  EXPECT_EQ(files_in(dir.path()), std::vector<std::string>{"model.safetensors"});
}

TEST(AtomicFile, MissingFolderIsAnErrorNamingTheFile) {
  test::ScratchDir dir;
  const auto file = dir / "no" / "such" / "config.json";
  test::expect_error([&] { write_file_atomically(file, [](std::ostream& out) { out << "x"; }); }, {file.string(), "cannot create"});
}

TEST(AtomicFile, TargetThatIsAFolderIsAnErrorAndLeavesNoTemp) {
  test::ScratchDir dir;
  std::filesystem::create_directories(dir / "model.safetensors" / "inside");
  test::expect_error([&] { write_file_atomically(dir / "model.safetensors", [](std::ostream& out) { out << "x"; }); },
                     {"model.safetensors", "cannot rename"});
  EXPECT_EQ(files_in(dir.path()), std::vector<std::string>{"model.safetensors"});
}

}  // namespace
}  // namespace bertcls::io
