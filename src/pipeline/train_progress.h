// What `bertcls train` shows while it runs. On a terminal, one live line redrawn in place:
// epoch, a bar, step, loss, samples/s and the time left. Elsewhere (a log file, CI),
// plain lines every --log-every steps, so logs stay readable.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

#include <bertcls/metrics.h>

namespace bertcls::pipeline {

class TrainProgress {
 public:
  // live: redraw one line (stderr is a terminal); otherwise a line every log_every steps
  // (0: none). Construct it when the run starts: the time left is measured from here.
  TrainProgress(std::FILE* out, bool live, std::int64_t log_every);

  void step(const StepReport& r);
  void epoch(const EpochReport& r);
  // A line of its own (clears the live line first).
  void message(const std::string& text);

 private:
  void clear_live_line();

  std::FILE* out_;
  bool live_;
  std::int64_t log_every_;
  bool line_open_ = false;
  std::int64_t first_step_ = -1;  // the step this process started at (resumed runs)
  std::chrono::steady_clock::time_point started_, last_draw_;
};

// "1:02:03" or "4:05".
std::string format_duration(double seconds);

}  // namespace bertcls::pipeline
