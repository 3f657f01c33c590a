// The one exception type bertcls throws for bad input (part of the public API). Messages carry their context
// (file, line, field, value) so the command line prints them once and exits non-zero.
#pragma once

#include <stdexcept>
#include <string>

namespace bertcls {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// Prefixes an error raised deeper down with where it happened ("vocab.txt: line 3: ...").
[[noreturn]] inline void rethrow_with_context(const std::string& context, const std::exception& e) {
  throw Error(context + ": " + e.what());
}

}  // namespace bertcls
