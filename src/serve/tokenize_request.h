// text-embeddings-inference's tokenizer routes, so its clients work unchanged:
// - POST /tokenize {"inputs": "text" | ["t1", ...], "add_special_tokens": true}
//   answers, per input, [{"id", "text", "special", "start", "stop"}, ...]: start/stop are
//   byte offsets into the input and text is that slice; special tokens have null offsets
//   and their own text. Always a list of lists. The text is not truncated: these are every
//   token of it, the model sees the first max_input_length of them.
// - POST /decode {"ids": [1, 2] | [[1, 2], ...], "skip_special_tokens": true}
//   answers a list of texts, one per list of ids.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "serve/request_json.h"
#include "text/tokenizer.h"

namespace bertcls::serve {

struct TokenizeRequest {
  std::vector<std::string> inputs;
  bool add_special_tokens = true;
};

struct DecodeRequest {
  std::vector<std::vector<int32_t>> ids;
  bool skip_special_tokens = true;
};

// Both throw RequestError as parse_predict_request does (413 beyond max_inputs).
TokenizeRequest parse_tokenize_request(std::string_view body, int max_inputs);
DecodeRequest parse_decode_request(std::string_view body, int max_inputs);

std::string tokenize_response(const text::Tokenizer& tokenizer, const TokenizeRequest& request);
// Ids beyond the vocabulary are dropped, as HF tokenizers' decode drops them.
std::string decode_response(const text::Tokenizer& tokenizer, const DecodeRequest& request);

}  // namespace bertcls::serve
