// Writing a file so that readers see either the old content or the complete new one.
#pragma once

#include <filesystem>
#include <functional>
#include <ostream>
#include <string>

namespace bertcls::io {

// Calls write() on a temp file in file's directory, flushes and fsyncs it, then renames
// it over file (and fsyncs the directory). If write() throws or any step fails, the
// temp file is removed, the old file is left untouched, and the error propagates
// (I/O failures as bertcls::Error naming the file).
void write_file_atomically(const std::filesystem::path& file, const std::function<void(std::ostream&)>& write);

// Creates an empty directory beside `dir` named DIR.TAG-XXXXXX (mkdtemp), where a folder
// is assembled before it is renamed to its real name. Throws bertcls::Error.
std::filesystem::path make_temp_sibling_directory(const std::filesystem::path& dir, const std::string& tag);

}  // namespace bertcls::io
