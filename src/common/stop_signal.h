// Ctrl-C (SIGINT) and SIGTERM during a long job: the first one asks the job to stop at its
// next safe point (a training run saves a checkpoint there); a second one ends the
// process at once, as the user expects of a second Ctrl-C.
#pragma once

namespace bertcls {

class StopSignal {
 public:
  StopSignal();   // installs the handlers
  ~StopSignal();  // restores the previous ones
  StopSignal(const StopSignal&) = delete;
  StopSignal& operator=(const StopSignal&) = delete;

  bool requested() const;
};

}  // namespace bertcls
