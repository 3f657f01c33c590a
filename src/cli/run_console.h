// What `train` and `pretrain` show while they run (pipeline/train_progress.h on stderr)
// and how Ctrl-C stops them: a first one asks the run to checkpoint and return, after
// which interrupted() says how to continue and exits with 130.
#pragma once

#include <unistd.h>

#include <bertcls/fine_tune.h>

#include <CLI/CLI.hpp>
#include <cstdint>
#include <cstdio>
#include <string>

#include "common/stop_signal.h"
#include "pipeline/train_progress.h"

namespace bertcls::cli {

class RunConsole {
 public:
  // Construct it when the run starts: the progress line's time left counts from here.
  explicit RunConsole(std::int64_t log_every) : progress_(stderr, ::isatty(STDERR_FILENO) == 1, log_every) {}

  // Valid while this console lives.
  FineTuneCallbacks callbacks() {
    FineTuneCallbacks cb;
    cb.on_message = [this](const std::string& line) { message(line); };
    cb.on_step = [this](const StepReport& r) { progress_.step(r); };
    cb.on_epoch = [this](const EpochReport& r) { progress_.epoch(r); };
    cb.stop_requested = [this] { return stop_.requested(); };
    return cb;
  }
  void message(const std::string& line) { progress_.message("bertcls: " + line); }
  [[noreturn]] void interrupted(std::int64_t step, const std::string& out) {
    message("interrupted at step " + std::to_string(step) + "; to continue, run the same command with --resume " + out);
    throw CLI::RuntimeError(130);
  }

 private:
  pipeline::TrainProgress progress_;
  StopSignal stop_;
};

}  // namespace bertcls::cli
