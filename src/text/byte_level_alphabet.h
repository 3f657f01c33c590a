// GPT-2's bytes_to_unicode, the alphabet of byte-level BPE: every byte stands for one
// printable character, so a vocabulary of strings covers any byte sequence. Bytes that
// are printable Latin-1 ('!'..'~', '¡'..'¬', '®'..'ÿ') stand for themselves; the other 68
// (controls, space, U+00A0, U+00AD) become U+0100 onwards in byte order: space is 'Ġ'
// (U+0120), '\n' is 'Ċ'.
#pragma once

#include <cstdint>
#include <optional>

namespace bertcls::text {

char32_t byte_to_char(uint8_t byte);
// The byte `c` stands for; nullopt for a character outside the alphabet.
std::optional<uint8_t> char_to_byte(char32_t c);

}  // namespace bertcls::text
