#pragma once

namespace bertcls {

// The library's version, as the CLI's --version and the server's /info report it.
const char* version();

}  // namespace bertcls
