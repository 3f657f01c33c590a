// Spaces around a value that people type into CSV cells and label lists do not count.
#pragma once

#include <string>
#include <string_view>

namespace bertcls {

// `s` without leading and trailing spaces, tabs, CRs and LFs.
inline std::string trim(std::string_view s) {
  const std::size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  return std::string(s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1));
}

}  // namespace bertcls
