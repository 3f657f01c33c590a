// A multi-label cell written as a list, in the forms the tools that make datasets write:
//   JSON                      [0, 3]    ["joy", "fear"]
//   Python's str of a list    [0, 3]    ['joy', 'fear']
//   NumPy's str of an array   [0 3]     ['joy' 'fear']    (how pandas writes arrays to CSV)
// and "[]" for a row without labels. Items are separated by a comma, by whitespace
// (NumPy pads columns, and wraps long arrays onto new lines), or both.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bertcls::io {

// Appends the items of `list` (which starts with '[') to `names`: integers as their
// decimal value ("007" is "7", as in a JSON or NumPy integer array), strings trimmed of
// surrounding spaces. Double-quoted strings take JSON's escapes, single-quoted ones
// Python's \\, \' and \". Returns "" on success, else what is wrong and at which
// character of the list (counting from 1), e.g. "the quote at character 8 is never
// closed"; `names` is then unspecified.
std::string parse_label_list(std::string_view list, std::vector<std::string>& names);

}  // namespace bertcls::io
