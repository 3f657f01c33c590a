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

// The same for a folder: fill() writes into a fresh temporary sibling of `dir`, which
// then takes dir's place. An existing `dir` is moved aside first (rename cannot replace
// a non-empty directory) and deleted only once the new folder is in place; if anything
// fails, the temporary folder is removed and the old one stays (or is put back).
// Filesystem failures become bertcls::Error "DIR: cannot save WHAT: ...".
void write_directory_atomically(const std::filesystem::path& dir,
                                const std::function<void(const std::filesystem::path&)>& fill,
                                const std::string& what);

}  // namespace bertcls::io
