// The "decoder" block when its type is WordPiece: tokens back to text.
#pragma once

#include <string>
#include <vector>

namespace bertcls::text {

struct WordPieceDecoder {
  std::string prefix = "##";
  bool cleanup = true;  // drop the space before . ? ! , and a few English contractions

  // A token starting with the prefix is glued to the previous one; any other token
  // after the first gets a space. HF applies the cleanup to each token on its own.
  std::string decode(const std::vector<std::string>& tokens) const;
};

}  // namespace bertcls::text
