// Samples a counter that grows while the pipeline works (records replicated, commits
// translated) from a thread of its own, every 100 ms, and answers how long it stood still:
// the longest stall within a span of time, and when it first moved after a given moment.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace k2k::reliability {

class progress_watch {
public:
  using clock = std::chrono::steady_clock;
  // `read` returns the counter's current value, nullopt when it cannot be read (a fault).
  explicit progress_watch(std::function<std::optional<int64_t>()> read);
  ~progress_watch();

  // The first sample after `since` at which the counter had grown; nullopt if none yet.
  std::optional<clock::time_point> moved_after(clock::time_point since) const;
  // The longest span within [from, until] without the counter growing (the stretch from
  // `from` to its first growth and from its last growth to `until` included).
  std::chrono::milliseconds longest_stall(clock::time_point from, clock::time_point until) const;

private:
  void run();
  std::function<std::optional<int64_t>()> read_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::optional<int64_t> last_;
  std::vector<clock::time_point> growth_; // when each growth was seen, in order
  std::thread thread_;
};

} // namespace k2k::reliability
