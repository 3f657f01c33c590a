// ByteLevel's trim_offsets, which RobertaProcessing and the ByteLevel post-processor
// apply to each text's encoding before adding special tokens: a token's leading and
// trailing spaces ('Ġ' or a whitespace character, as in an lstrip added token " <mask>")
// leave its offsets, so "Ġworld" points at "world".
#pragma once

#include <cstddef>

#include "text/encoding.h"

namespace bertcls::text {

// Trims the offsets of tokens [begin, end) of `e`, one text's tokens, as HF's
// process_offsets does (on character offsets, as the Node and Python bindings report
// them). The first token, or any starting at offset 0, keeps a single leading space when
// `add_prefix_space`: the pre-tokenizer put it there. A token that is all spaces ends up
// empty, at its end.
void trim_byte_level_offsets(Encoding& e, size_t begin, size_t end, bool add_prefix_space);

}  // namespace bertcls::text
