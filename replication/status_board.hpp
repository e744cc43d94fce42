// Where the worker thread posts its status snapshots and other threads read or await them.
#pragma once

#include "replication/status.hpp"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>

namespace k2k::replication {

class status_board {
public:
  void publish(replication_status s) {
    {
      std::lock_guard<std::mutex> guard{mutex_};
      latest_ = std::move(s);
    }
    changed_.notify_all();
  }
  replication_status latest() const {
    std::lock_guard<std::mutex> guard{mutex_};
    return latest_;
  }
  bool wait_for(const std::function<bool(const replication_status&)>& condition,
                std::chrono::milliseconds timeout) const {
    std::unique_lock<std::mutex> lock{mutex_};
    return changed_.wait_for(lock, timeout, [&] { return condition(latest_); });
  }

private:
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  replication_status latest_;
};

} // namespace k2k::replication
