// Character classes and mappings of Hugging Face's BERT pipeline, and the classes of the
// ByteLevel pre-tokenizer's GPT-2 regex, for every code point.
// The tables (unicode_tables.inc) are probed from the Rust crate itself by
// tools/tokenizer-goldens/unicode-tables.js: the crate uses its own, older Unicode
// tables, so utf8proc's categories would disagree on some characters.
#pragma once

#include <cstddef>
#include <cstdint>

namespace bertcls::text::unicode {

enum Flag : uint8_t {
  kRemoved = 1,          // clean_text drops it (controls, format chars, U+0000, U+FFFD)
  kSpace = 2,            // clean_text turns it into ' '
  kCjk = 4,              // handle_chinese_chars puts spaces around it
  kSplitWhitespace = 8,  // BertPreTokenizer splits on it and drops it (Rust char::is_whitespace)
  kSplitPunct = 16,      // BertPreTokenizer isolates it (ASCII or Unicode punctuation)
  kStripMaps = 32,       // strip_accents replaces it (NFD, then marks dropped)
  kLowers = 64,          // lowercase replaces it (Rust char::to_lowercase)
  kStripDrops = 128,     // strip_accents drops it (a combining mark)
};

uint8_t flags(char32_t c);

// The longest replacement any character gets from strip_accents or lowercase.
inline constexpr size_t kMaxMapping = 4;

// What strip_accents turns `c` into (Hangul syllables included); writes at most
// kMaxMapping characters to `out` and returns how many. Call only when flags(c) has
// kStripMaps or c is a Hangul syllable.
size_t strip_accents(char32_t c, char32_t* out);
// What lowercase turns `c` into; call only when flags(c) has kLowers.
size_t to_lower(char32_t c, char32_t* out);

// The classes GPT-2's pre-tokenizer regex tells apart, as the crate's regex engine (its
// own Unicode version) sees them: \p{L}, \p{N}, \s, and everything else.
enum class RegexClass : uint8_t { kOther = 0, kLetter = 1, kNumber = 2, kSpace = 3 };
RegexClass regex_class(char32_t c);

inline bool is_hangul_syllable(char32_t c) { return c >= 0xAC00 && c < 0xAC00 + 11172; }

}  // namespace bertcls::text::unicode
