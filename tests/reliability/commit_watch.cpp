#include "reliability/commit_watch.hpp"

#include "kafka/group_client.hpp"

#include <algorithm>

namespace k2k::reliability {

using namespace std::chrono_literals;

commit_watch::commit_watch(std::string bootstrap, std::vector<std::string> groups,
                           std::vector<kafka::topic_partition> partitions)
    : bootstrap_(std::move(bootstrap)), groups_(std::move(groups)),
      partitions_(std::move(partitions)), thread_([this] { run(); }) {}

commit_watch::~commit_watch() {
  {
    std::lock_guard lock{mutex_};
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void commit_watch::run() {
  // Consumer handles, not the admin API: see kafka/group_client.hpp.
  kafka::group_client_pool clients{{{"bootstrap.servers", bootstrap_}}};
  std::unique_lock lock{mutex_};
  while (!stopping_) {
    for (const auto& group : groups_) {
      lock.unlock();
      auto read = clients[group].committed(partitions_, 5s);
      lock.lock();
      if (!read) // brokers down or errors injected: read again next round
        continue;
      ++reads_;
      auto& known = latest_[group];
      for (const auto& [tp, now] : *read) {
        auto it = known.find(tp);
        if (it != known.end() && it->second.offset == now.offset &&
            it->second.metadata == now.metadata)
          continue;
        if (it != known.end() && now.offset < it->second.offset)
          regressions_.push_back({group, tp, it->second, now});
        ++changes_;
        known[tp] = now;
        auto& top = highest_[group].try_emplace(tp, now.offset).first->second;
        top = std::max(top, now.offset);
      }
    }
    // Round after round, with a breath between rounds so the watcher does not crowd out the
    // services on a small machine; a commit that stands for less than a round can be missed.
    wake_.wait_for(lock, 25ms, [this] { return stopping_; });
  }
}

std::map<std::string, std::map<kafka::topic_partition, kafka::committed_offset>>
commit_watch::latest() const {
  std::lock_guard lock{mutex_};
  return latest_;
}

std::map<std::string, std::map<kafka::topic_partition, int64_t>> commit_watch::highest() const {
  std::lock_guard lock{mutex_};
  return highest_;
}

std::vector<commit_regression> commit_watch::regressions() const {
  std::lock_guard lock{mutex_};
  return regressions_;
}

} // namespace k2k::reliability
