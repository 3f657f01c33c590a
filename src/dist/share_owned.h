// Every process ends with every item of an array of which each process computed its
// own: one broadcast per process of its items, in index order. Plain copies, so every
// process holds the bits the owner computed.
#pragma once

#include <cstddef>
#include <functional>
#include <span>

#include "dist/communicator.h"

namespace bertcls::dist {

// `items` holds items of `item_bytes` each; owner(i) is the rank that computed item i,
// and the same function on every process. Throws bertcls::Error naming `what` when a
// process sends a message of the wrong size.
void share_owned(Communicator& world, std::span<std::byte> items, std::size_t item_bytes,
                 const std::function<int(std::size_t)>& owner, const char* what);

}  // namespace bertcls::dist
