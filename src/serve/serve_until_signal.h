// Running a server until SIGTERM or Ctrl-C, handling signals outside signal-handler
// context: the signals are blocked in every thread (threads inherit the mask, so this
// must come before any thread starts, the server's workers included), and one thread
// waits for them with sigwait(). SIGTERM and SIGINT stop the server, which finishes the
// requests in flight; SIGHUP reloads the model folder (InferenceServer::reload) and
// serving goes on, on the new model or, when it does not load, on the old one.
//
//   serve::ServerSignals signals;               // first, before the server exists
//   serve::InferenceServer server(model, name, options);
//   server.bind();
//   signals.serve_until_signal(server, [](const std::string& what) { ... });
#pragma once

#include <signal.h>

#include <functional>
#include <string>

#include "serve/server.h"

namespace bertcls::serve {

class ServerSignals {
 public:
  ServerSignals();  // blocks SIGTERM, SIGINT and SIGHUP in this thread and every thread it starts
  // Serves until SIGTERM or SIGINT; `report` hears what each signal did, in a sentence.
  void serve_until_signal(InferenceServer& server, const std::function<void(const std::string&)>& report);

 private:
  sigset_t signals_;
};

}  // namespace bertcls::serve
