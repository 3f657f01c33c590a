#include "dist/share_owned.h"

#include <cstring>
#include <string>
#include <vector>

#include <bertcls/error.h>

namespace bertcls::dist {

void share_owned(Communicator& world, std::span<std::byte> items, std::size_t item_bytes,
                 const std::function<int(std::size_t)>& owner, const char* what) {
  const std::size_t count = items.size() / item_bytes;
  for (int r = 0; r < world.size(); ++r) {
    std::vector<std::byte> message;
    std::size_t owned = 0;
    for (std::size_t i = 0; i < count; ++i) {
      if (owner(i) != r) continue;
      ++owned;
      if (r == world.rank()) message.insert(message.end(), &items[i * item_bytes], &items[i * item_bytes] + item_bytes);
    }
    world.broadcast(r, message);
    if (r == world.rank()) continue;
    if (message.size() != owned * item_bytes)
      throw Error(std::string(what) + ": process " + std::to_string(r) + " sent " + std::to_string(message.size()) +
                  " bytes for " + std::to_string(owned) + " items");
    std::size_t at = 0;
    for (std::size_t i = 0; i < count; ++i)
      if (owner(i) == r) {
        std::memcpy(&items[i * item_bytes], message.data() + at, item_bytes);
        at += item_bytes;
      }
  }
}

}  // namespace bertcls::dist
