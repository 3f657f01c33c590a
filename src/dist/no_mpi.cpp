// world() in a build without MPI: always this process alone.
#include <string>

#include <bertcls/error.h>
#include "dist/communicator.h"

namespace bertcls::dist {

bool built_with_mpi() { return false; }

Communicator& world() {
  // N copies that each trained alone would write one folder N times over.
  if (const int n = launched_processes(); n > 1)
    throw Error("started as one of " + std::to_string(n) +
                " processes, but this bertcls was built without MPI: install libopenmpi-dev (Debian) and rebuild "
                "(cmake -DBERTCLS_MPI=ON) to train data-parallel");
  static const std::unique_ptr<Communicator> instance = single_process();
  return *instance;
}

}  // namespace bertcls::dist
