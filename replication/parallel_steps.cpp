#include "replication/parallel_steps.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>

namespace k2k::replication {

struct parallel_steps::impl {
  std::unique_ptr<boost::asio::thread_pool> pool;
  size_t threads = 0;

  // A pool as wide as the widest call so far: partitions are assigned a few at a time.
  boost::asio::thread_pool& pool_for(size_t n) {
    auto want = std::min(std::max<size_t>(n, 1), max_threads);
    if (!pool || threads < want) {
      if (pool)
        pool->join(); // what it runs finishes first
      pool = std::make_unique<boost::asio::thread_pool>(want);
      threads = want;
    }
    return *pool;
  }
};

parallel_steps::parallel_steps() : impl_(std::make_unique<impl>()) {}
parallel_steps::~parallel_steps() = default;

void parallel_steps::run(size_t n, const std::function<void(size_t)>& step,
                         const std::function<void()>& while_waiting) {
  if (n == 0)
    return;
  auto& pool = impl_->pool_for(n);
  std::mutex lock;
  std::condition_variable done;
  size_t left = n;
  std::exception_ptr failure;
  for (size_t i = 0; i < n; ++i)
    boost::asio::post(pool, [&, i] {
      std::exception_ptr thrown;
      try {
        step(i);
      } catch (...) {
        thrown = std::current_exception();
      }
      std::lock_guard<std::mutex> guard(lock);
      if (thrown && !failure)
        failure = thrown;
      if (--left == 0)
        done.notify_one();
    });
  std::unique_lock<std::mutex> guard(lock);
  while (!done.wait_for(guard, std::chrono::milliseconds(100), [&] { return left == 0; })) {
    guard.unlock();
    while_waiting();
    guard.lock();
  }
  if (failure)
    std::rethrow_exception(failure);
}

std::future<void> parallel_steps::start(std::function<void()> step, size_t width) {
  auto task = std::make_shared<std::packaged_task<void()>>(std::move(step));
  auto done = task->get_future();
  boost::asio::post(impl_->pool_for(width), [task] { (*task)(); });
  return done;
}

} // namespace k2k::replication
