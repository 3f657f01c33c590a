#include "common/stop_signal.h"

#include <signal.h>

#include <atomic>

namespace bertcls {
namespace {

std::atomic<bool> g_requested{false};
struct sigaction g_previous_int, g_previous_term;

void on_signal(int signal) {
  if (g_requested.exchange(true)) {
    // Second signal: default action (terminate) right away.
    ::signal(signal, SIG_DFL);
    ::raise(signal);
  }
}

}  // namespace

StopSignal::StopSignal() {
  g_requested = false;
  struct sigaction action = {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &g_previous_int);
  sigaction(SIGTERM, &action, &g_previous_term);
}

StopSignal::~StopSignal() {
  sigaction(SIGINT, &g_previous_int, nullptr);
  sigaction(SIGTERM, &g_previous_term, nullptr);
}

bool StopSignal::requested() const { return g_requested.load(); }

}  // namespace bertcls
