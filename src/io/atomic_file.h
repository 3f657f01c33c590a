// Writing a file so that readers see either the old content or the complete new one.
#pragma once

#include <filesystem>
#include <functional>
#include <ostream>

namespace bertcls::io {

// Calls write() on a temp file in file's directory, flushes and fsyncs it, then renames
// it over file (and fsyncs the directory). If write() throws or any step fails, the
// temp file is removed, the old file is left untouched, and the error propagates
// (I/O failures as bertcls::Error naming the file).
void write_file_atomically(const std::filesystem::path& file, const std::function<void(std::ostream&)>& write);

}  // namespace bertcls::io
