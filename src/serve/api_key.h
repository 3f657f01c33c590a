// The server's key: with one set, every route but /health needs "Authorization: Bearer
// KEY". The comparison takes the same time wherever the keys differ, so a client cannot
// find the key byte by byte from answer times.
#pragma once

#include <string>
#include <string_view>

namespace bertcls::serve {

// Whether an Authorization header value is "Bearer " followed by exactly `key`.
bool bearer_matches(std::string_view authorization, std::string_view key);

// The key given directly, else the first line of `file` (trailing whitespace dropped),
// else "". Throws Error naming the file when it cannot be read or holds no key.
std::string resolve_api_key(const std::string& key, const std::string& file);

}  // namespace bertcls::serve
