#include "tools/stop_signals.hpp"

#include <pthread.h>

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

int stop_signals::wait() {
  int signal = 0;
  do
    sigwait(&set_, &signal);
  while (signal == wake_signal);
  return signal;
}

void stop_signals::on_signal(std::function<void(int)> on_stop) {
  waiter_ = std::thread([this, on_stop = std::move(on_stop)] {
    int signal = 0;
    sigwait(&set_, &signal);
    if (signal != wake_signal)
      on_stop(signal);
  });
}

} // namespace k2k::tools
