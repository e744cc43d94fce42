// Blocking client calls of many partitions made at once. Each partition's transactional
// producer is its own client: waiting for one after another adds their round trips up, one
// partition's flush and commit behind the other's; made at once, they overlap.
#pragma once

#include <cstddef>
#include <functional>
#include <future>
#include <memory>

namespace k2k::replication {

class parallel_steps {
public:
  parallel_steps();
  ~parallel_steps();
  parallel_steps(const parallel_steps&) = delete;
  parallel_steps& operator=(const parallel_steps&) = delete;

  // Runs step(i) for every i < n, up to max_threads at a time (the pool grows to that on
  // demand), and calls `while_waiting` on this thread about every 100 ms until all returned.
  // An exception a step throws is thrown here once all have returned.
  void run(size_t n, const std::function<void(size_t)>& step,
           const std::function<void()>& while_waiting);

  // Starts `step` on the pool and returns at once; the future is ready when it returned (or
  // holds what it threw). `width`: how many steps may be under way at once (the pool grows).
  std::future<void> start(std::function<void()> step, size_t width);

  static constexpr size_t max_threads = 32;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace k2k::replication
