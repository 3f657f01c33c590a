// Finding the first byte that is not valid UTF-8, so readers can name where a file's
// encoding breaks instead of passing mojibake to the tokenizer.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/utf8.h"

namespace bertcls::io {

// Offset of the first byte that does not start a valid UTF-8 sequence (overlong forms,
// surrogates and code points above U+10FFFF are invalid), or npos when all is valid.
std::size_t invalid_utf8_offset(std::string_view text);

// "line L, column C (byte 0xNN)" for the invalid byte at offset in text, whose first byte
// is on physical line first_line; columns count characters from the line's start.
std::string describe_utf8_error(std::string_view text, std::size_t offset, std::size_t first_line);

// `text` as valid UTF-8, decided the way the tokenizer decides (text/utf8.h): unchanged
// when valid; else, with kReplace, U+FFFD per maximal invalid subsequence, or with
// kError, Error("invalid UTF-8 at byte N") for the first bad byte (counted from 0).
std::string valid_utf8(std::string_view text, InvalidUtf8Policy policy);

}  // namespace bertcls::io
