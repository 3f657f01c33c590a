#include "serve/serve_until_signal.h"

#include <pthread.h>

#include <cstring>
#include <thread>

namespace bertcls::serve {

StopSignals::StopSignals() {
  sigemptyset(&signals_);
  sigaddset(&signals_, SIGTERM);
  sigaddset(&signals_, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals_, nullptr);
}

void StopSignals::serve_until_signal(InferenceServer& server, const std::function<void(const char*)>& on_signal) {
  std::thread waiter([&] {
    int signal = 0;
    sigwait(&signals_, &signal);
    if (on_signal) on_signal(strsignal(signal));
    server.stop();
  });
  server.serve();
  // serve() returns only after stop(); the waiter has the signal by then.
  waiter.join();
}

}  // namespace bertcls::serve
