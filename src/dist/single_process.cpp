// A world of one: there is never anyone to send to.
#include <algorithm>
#include <cstdlib>
#include <stdexcept>

#include "dist/communicator.h"

namespace bertcls::dist {
namespace {

class SingleProcess final : public Communicator {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  std::string describe() const override { return "one process"; }
  void send(int, std::span<const std::byte>) override { throw std::logic_error("send in a world of one process"); }
  std::vector<std::byte> receive(int) override { throw std::logic_error("receive in a world of one process"); }
  void broadcast(int, std::vector<std::byte>&) override {}
  [[noreturn]] void abort(int code) override { std::exit(code); }
  double seconds() const override { return 0.0; }
  std::uint64_t bytes_sent() const override { return 0; }
};

}  // namespace

std::unique_ptr<Communicator> single_process() { return std::make_unique<SingleProcess>(); }

int launched_processes() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_SIZE", "PMI_SIZE", "SLURM_NTASKS"})
    if (const char* value = std::getenv(name)) return std::max(1, std::atoi(value));
  return 0;
}

}  // namespace bertcls::dist
