// Running a server until SIGTERM or Ctrl-C, stopping it outside signal-handler context:
// the stop signals are blocked in every thread (threads inherit the mask, so this must
// come before any thread starts, the server's workers included), and one thread waits
// for them with sigwait() and then stops the server, which finishes the requests in
// flight.
//
//   serve::StopSignals signals;                 // first, before the server exists
//   serve::InferenceServer server(model, name, options);
//   server.bind();
//   signals.serve_until_signal(server, [](const char* name) { ... });
#pragma once

#include <signal.h>

#include <functional>

#include "serve/server.h"

namespace bertcls::serve {

class StopSignals {
 public:
  StopSignals();  // blocks SIGTERM and SIGINT in this thread and every thread it starts
  // Serves until one of them arrives; `on_signal` hears its name before the server stops.
  void serve_until_signal(InferenceServer& server, const std::function<void(const char*)>& on_signal);

 private:
  sigset_t signals_;
};

}  // namespace bertcls::serve
