// SIGINT/SIGTERM handling for long-running commands: the signals are blocked in
// every thread (create this before any librdkafka/CAF thread) and taken by one
// waiter thread that runs `on_stop` once. A second SIGINT/SIGTERM, while the clean
// stop is still under way, ends the process at once (exit status 128 + signal).
#pragma once

#include <csignal>
#include <functional>
#include <thread>

namespace k2k::tools {

class stop_signals {
public:
  stop_signals();
  ~stop_signals(); // wakes and joins the waiter if no (second) signal came

  // Blocks the calling thread until SIGINT or SIGTERM; returns the signal.
  int wait();
  // Runs on_stop on a background thread when SIGINT or SIGTERM arrives.
  void on_signal(std::function<void(int)> on_stop);

private:
  void exit_on_second_signal() const;

  sigset_t set_;
  std::thread waiter_;
};

} // namespace k2k::tools
