#include "text/byte_fallback_decoder.h"

#include <optional>

#include "common/utf8.h"

namespace bertcls::text {
namespace {

// The byte of a "<0xXX>" token (hex digits in either case, as from_str_radix reads them).
std::optional<unsigned char> byte_of(const std::string& token) {
  if (token.size() != 6 || token.compare(0, 3, "<0x") != 0 || token[5] != '>') return std::nullopt;
  int value = 0;
  for (char c : token.substr(3, 2)) {
    int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    if (digit < 0) return std::nullopt;
    value = value * 16 + digit;
  }
  return static_cast<unsigned char>(value);
}

}  // namespace

void ByteFallbackDecoder::decode_chain(std::vector<std::string>& tokens) const {
  std::vector<std::string> out;
  std::string bytes;
  auto flush = [&] {
    if (bytes.empty()) return;
    std::vector<char32_t> ignored;
    try {
      decode_utf8(bytes, ignored, InvalidUtf8Policy::kError);
      out.push_back(bytes);
    } catch (...) {
      for (size_t i = 0; i < bytes.size(); ++i) out.emplace_back("\uFFFD");
    }
    bytes.clear();
  };
  for (std::string& token : tokens) {
    if (auto b = byte_of(token)) {
      bytes += static_cast<char>(*b);
      continue;
    }
    flush();
    out.push_back(std::move(token));
  }
  flush();
  tokens = std::move(out);
}

}  // namespace bertcls::text
