#include "tools/stop_signals.hpp"

#include <spdlog/spdlog.h>

#include <pthread.h>

#include <cstdlib>

namespace k2k::tools {

namespace {
constexpr int wake_signal = SIGUSR1; // private: tells the waiter to quit without stopping
}

stop_signals::stop_signals() {
  sigemptyset(&set_);
  sigaddset(&set_, SIGINT);
  sigaddset(&set_, SIGTERM);
  sigaddset(&set_, wake_signal);
  pthread_sigmask(SIG_BLOCK, &set_, nullptr);
}

stop_signals::~stop_signals() {
  if (waiter_.joinable()) {
    pthread_kill(waiter_.native_handle(), wake_signal);
    waiter_.join();
  }
}

// An operator who signals again does not want to wait for the clean stop (a drain to a target
// that does not answer lasts replicator.shutdownTimeout). Ending at once is what kill -9
// does, which k2k survives by design: the next start redoes what was in flight.
void stop_signals::exit_on_second_signal() const {
  int signal = 0;
  sigwait(&set_, &signal);
  if (signal == wake_signal)
    return;
  spdlog::warn("signal {} again: exiting at once without finishing the stop; the next start "
               "redoes what was in flight",
               signal);
  spdlog::default_logger()->flush();
  std::_Exit(128 + signal);
}

int stop_signals::wait() {
  int signal = 0;
  do
    sigwait(&set_, &signal);
  while (signal == wake_signal);
  waiter_ = std::thread([this] { exit_on_second_signal(); });
  return signal;
}

void stop_signals::on_signal(std::function<void(int)> on_stop) {
  waiter_ = std::thread([this, on_stop = std::move(on_stop)] {
    int signal = 0;
    sigwait(&set_, &signal);
    if (signal == wake_signal)
      return;
    on_stop(signal);
    exit_on_second_signal();
  });
}

} // namespace k2k::tools
