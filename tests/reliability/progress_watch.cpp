#include "reliability/progress_watch.hpp"

#include <algorithm>

namespace k2k::reliability {

using namespace std::chrono_literals;

progress_watch::progress_watch(std::function<std::optional<int64_t>()> read)
    : read_(std::move(read)), thread_([this] { run(); }) {}

progress_watch::~progress_watch() {
  {
    std::lock_guard lock{mutex_};
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void progress_watch::run() {
  std::unique_lock lock{mutex_};
  while (!stopping_) {
    lock.unlock();
    auto value = read_();
    auto now = clock::now();
    lock.lock();
    if (value) {
      if (last_ && *value > *last_)
        growth_.push_back(now);
      last_ = std::max(last_.value_or(*value), *value);
    }
    wake_.wait_for(lock, 100ms, [this] { return stopping_; }); // the sampling period
  }
}

std::optional<progress_watch::clock::time_point>
progress_watch::moved_after(clock::time_point since) const {
  std::lock_guard lock{mutex_};
  auto it = std::upper_bound(growth_.begin(), growth_.end(), since);
  if (it == growth_.end())
    return std::nullopt;
  return *it;
}

std::chrono::milliseconds progress_watch::longest_stall(clock::time_point from,
                                                        clock::time_point until) const {
  std::lock_guard lock{mutex_};
  auto longest = clock::duration::zero();
  auto previous = from;
  for (auto it = std::upper_bound(growth_.begin(), growth_.end(), from);
       it != growth_.end() && *it <= until; ++it) {
    longest = std::max(longest, *it - previous);
    previous = *it;
  }
  longest = std::max(longest, until - previous);
  return std::chrono::duration_cast<std::chrono::milliseconds>(longest);
}

} // namespace k2k::reliability
