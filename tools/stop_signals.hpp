// SIGINT/SIGTERM handling for long-running commands: the signals are blocked in
// every thread (create this before any librdkafka/CAF thread) and taken by one
// waiter thread that runs `on_stop` once.
#pragma once

#include <csignal>
#include <functional>
#include <thread>

namespace k2k::tools {

class stop_signals {
public:
  stop_signals();
  ~stop_signals(); // wakes and joins the waiter if no signal came

  // Blocks the calling thread until SIGINT or SIGTERM; returns the signal.
  int wait();
  // Runs on_stop on a background thread when SIGINT or SIGTERM arrives.
  void on_signal(std::function<void(int)> on_stop);

private:
  sigset_t set_;
  std::thread waiter_;
};

} // namespace k2k::tools
