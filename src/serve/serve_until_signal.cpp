#include "serve/serve_until_signal.h"

#include <pthread.h>

#include <cstdio>
#include <cstring>
#include <thread>

#include <bertcls/error.h>

namespace bertcls::serve {

ServerSignals::ServerSignals() {
  sigemptyset(&signals_);
  sigaddset(&signals_, SIGTERM);
  sigaddset(&signals_, SIGINT);
  sigaddset(&signals_, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals_, nullptr);
}

void ServerSignals::serve_until_signal(InferenceServer& server, const std::function<void(const std::string&)>& report) {
  std::thread waiter([&] {
    for (;;) {
      int signal = 0;
      sigwait(&signals_, &signal);
      const std::string name = strsignal(signal);
      if (signal != SIGHUP) {
        report(name + ": finishing requests in flight, then exiting");
        server.stop();
        return;
      }
      try {
        const auto served = server.reload();
        char seconds[32];
        std::snprintf(seconds, sizeof seconds, "%.2f", served->load_seconds);
        report(name + ": now serving " + served->model->dir().string() + " (weights sha256 " + served->weights_sha256 +
               ", loaded in " + seconds + " s)");
      } catch (const Error& e) {
        report(name + ": " + e.what());
      }
    }
  });
  server.serve();
  // serve() returns only after stop(); the waiter has the signal by then.
  waiter.join();
}

}  // namespace bertcls::serve
