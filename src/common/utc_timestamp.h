// Wall-clock time for logs and reports, in the one form every tool parses.
#pragma once

#include <string>

namespace bertcls {

// UTC now, ISO 8601 with milliseconds: "2026-12-01T13:05:02.118Z".
std::string utc_timestamp();

}  // namespace bertcls
