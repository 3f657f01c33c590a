// UTF-8 to code points and back. Hugging Face only ever sees valid strings, so bertcls
// must decide what invalid bytes mean: an error naming the byte, or U+FFFD per maximal
// invalid subsequence (as Python's bytes.decode(errors="replace") does).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bertcls {

enum class InvalidUtf8Policy { kError, kReplace };

// Appends the code points of `s` to `out`. With kError, throws Error("invalid UTF-8 at
// byte N") for the first bad sequence.
void decode_utf8(std::string_view s, std::vector<char32_t>& out, InvalidUtf8Policy policy);
void append_utf8(char32_t c, std::string& out);
// Number of code points in valid UTF-8 (continuation bytes are not counted).
size_t count_code_points(std::string_view s);

}  // namespace bertcls
