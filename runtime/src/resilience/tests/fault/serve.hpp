#pragma once
// How the two fault-test programs live: block SIGINT and SIGTERM first thing in main(), before
// any thread exists (the server's and the HTTP client's inherit the mask, so only sigwait()
// ever sees them), start the server, tell the parent the port it got, serve until a signal,
// stop gracefully.
#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <cstdio>

#include "eskit/runtime/http/server.hpp"

namespace eskit::runtime::resilience::fault {

class StopSignals {
 public:
  StopSignals() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, nullptr);
  }

  // `control`, when given, is a second server with workers of its own, so a test can reach
  // the process while every worker of the main one is busy.
  int serve(http::Server& server, const char* name, http::Server* control = nullptr) {
    server.start();
    if (control) control->start();
    // The parent reads the ephemeral ports from this line.
    std::printf("%s listening %u control %u\n", name, static_cast<unsigned>(server.port()),
                control ? static_cast<unsigned>(control->port()) : 0U);
    std::fflush(stdout);
    int received = 0;
    sigwait(&set_, &received);
    server.stop(std::chrono::seconds{2});
    if (control) control->stop(std::chrono::seconds{2});
    return 0;
  }

 private:
  sigset_t set_{};
};

}  // namespace eskit::runtime::resilience::fault
