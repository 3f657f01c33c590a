#include "serve/api_key.h"

#include <fstream>

#include <bertcls/error.h>

namespace bertcls::serve {

bool bearer_matches(std::string_view authorization, std::string_view key) {
  constexpr std::string_view kScheme = "Bearer ";
  if (key.empty() || authorization.substr(0, kScheme.size()) != kScheme) return false;
  const std::string_view given = authorization.substr(kScheme.size());
  // Every byte of the key is compared whatever came before; a length difference counts
  // as a difference without ending the loop early.
  unsigned char diff = given.size() == key.size() ? 0 : 1;
  for (std::size_t i = 0; i < key.size(); ++i)
    diff |= static_cast<unsigned char>(key[i] ^ (i < given.size() ? given[i] : ~key[i]));
  return diff == 0;
}

std::string resolve_api_key(const std::string& key, const std::string& file) {
  if (!key.empty() || file.empty()) return key;
  std::ifstream in(file);
  if (!in) throw Error(file + ": cannot read the API key file");
  std::string line;
  std::getline(in, line);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
  if (line.empty()) throw Error(file + ": the API key file's first line is empty");
  return line;
}

}  // namespace bertcls::serve
