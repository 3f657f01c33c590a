// The processes of one training job and the messages between them. One process is a
// world of size 1; `mpirun -np N bertcls train ...` makes N (dist::world() finds out),
// when bertcls was built with MPI. Only the data-parallel trainer talks through it.
//
// Every call is blocking and ordered, and nothing here sums: the trainer adds gradients
// itself in a fixed order, so a run's numbers do not depend on how many processes ran it
// (MPI_Allreduce's summation order varies with the process count and the algorithm).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace bertcls::dist {

class Communicator {
 public:
  virtual ~Communicator() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  // Where this process runs, for messages ("rank 2 of 3 on host-b").
  virtual std::string describe() const = 0;

  virtual void send(int to, std::span<const std::byte> message) = 0;
  // The next message from `from`, whatever its size.
  virtual std::vector<std::byte> receive(int from) = 0;
  // Every rank ends with root's message (its size too).
  virtual void broadcast(int root, std::vector<std::byte>& message) = 0;
  // Ends every process of the job with `code`: a process that fails must not leave the
  // others waiting for it forever.
  [[noreturn]] virtual void abort(int code) = 0;

  // Totals since the start: seconds spent in the calls above (waiting included) and
  // bytes this process sent (broadcasts count once per call at their root).
  virtual double seconds() const = 0;
  virtual std::uint64_t bytes_sent() const = 0;
};

// The job this process belongs to: the MPI world when launched by mpirun (or another MPI
// launcher) in a build with MPI, otherwise this process alone. Made on first use and
// kept until exit.
Communicator& world();

// Whether this build can run more than one process.
bool built_with_mpi();

// The single-process world (also what world() returns without MPI).
std::unique_ptr<Communicator> single_process();

// The number of processes an MPI launcher (mpirun, srun) started this one among, from
// the variables it sets; 0 when none did.
int launched_processes();

}  // namespace bertcls::dist
