// Standard base64 (RFC 4648, "+/" with "=" padding), as tokenizer.json stores binary
// blobs such as a SentencePiece precompiled_charsmap.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bertcls {

// The decoded bytes, or nothing when `text` is not padded standard base64.
std::optional<std::string> decode_base64(std::string_view text);

}  // namespace bertcls
