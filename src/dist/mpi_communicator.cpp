// The MPI world, through MPI's C API (Open MPI in Debian's openmpi-bin / libopenmpi-dev).
// Compiled only with BERTCLS_MPI; world() falls back to one process without it.
// The C API only: Open MPI's mpi.h otherwise pulls in its deprecated C++ bindings.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>

#include <cstdint>
#include <cstdlib>
#include <limits>

#include <bertcls/error.h>
#include "dist/communicator.h"

namespace bertcls::dist {
namespace {

int count_of(std::size_t bytes) {
  if (bytes > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    throw Error("MPI: a message of " + std::to_string(bytes) + " bytes exceeds MPI's 2 GiB count limit");
  return static_cast<int>(bytes);
}

class MpiWorld final : public Communicator {
 public:
  MpiWorld() {
    int initialized = 0;
    MPI_Initialized(&initialized);
    // One thread calls MPI; OpenMP threads never do.
    if (!initialized) MPI_Init(nullptr, nullptr);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    char name[MPI_MAX_PROCESSOR_NAME] = {};
    int length = 0;
    MPI_Get_processor_name(name, &length);
    host_.assign(name, static_cast<std::size_t>(length));
  }
  ~MpiWorld() override {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (!finalized) MPI_Finalize();
  }

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  std::string describe() const override {
    return "rank " + std::to_string(rank_) + " of " + std::to_string(size_) + " on " + host_;
  }

  void send(int to, std::span<const std::byte> message) override {
    const Timer timer(seconds_);
    MPI_Send(message.data(), count_of(message.size()), MPI_BYTE, to, kTag, MPI_COMM_WORLD);
    bytes_sent_ += message.size();
  }

  std::vector<std::byte> receive(int from) override {
    const Timer timer(seconds_);
    MPI_Status status;
    MPI_Probe(from, kTag, MPI_COMM_WORLD, &status);
    int bytes = 0;
    MPI_Get_count(&status, MPI_BYTE, &bytes);
    std::vector<std::byte> message(static_cast<std::size_t>(bytes));
    MPI_Recv(message.data(), bytes, MPI_BYTE, from, kTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    return message;
  }

  void broadcast(int root, std::vector<std::byte>& message) override {
    const Timer timer(seconds_);
    if (root == rank_) bytes_sent_ += message.size();
    std::uint64_t bytes = message.size();
    MPI_Bcast(&bytes, 1, MPI_UINT64_T, root, MPI_COMM_WORLD);
    message.resize(bytes);
    MPI_Bcast(message.data(), count_of(bytes), MPI_BYTE, root, MPI_COMM_WORLD);
  }

  [[noreturn]] void abort(int code) override {
    MPI_Abort(MPI_COMM_WORLD, code);
    std::exit(code);
  }

  double seconds() const override { return seconds_; }
  std::uint64_t bytes_sent() const override { return bytes_sent_; }

 private:
  // Adds the wall time of its scope to a total.
  struct Timer {
    double& total;
    double start = MPI_Wtime();
    explicit Timer(double& t) : total(t) {}
    ~Timer() { total += MPI_Wtime() - start; }
  };
  static constexpr int kTag = 7;
  double seconds_ = 0.0;
  std::uint64_t bytes_sent_ = 0;
  int rank_ = 0, size_ = 1;
  std::string host_;
};

}  // namespace

bool built_with_mpi() { return true; }

Communicator& world() {
  // A plain `bertcls train` never calls MPI_Init: a singleton MPI_Init can start helper
  // daemons and is slow.
  static const std::unique_ptr<Communicator> instance =
      launched_processes() > 0 ? std::unique_ptr<Communicator>(std::make_unique<MpiWorld>()) : single_process();
  return *instance;
}

}  // namespace bertcls::dist
