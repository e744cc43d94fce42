// What the applications do on source while the scenario runs: a producer writing records,
// simulated applications committing their group offsets forward at random (from 0 to the end
// of the log, often ahead of replication), and a foreign writer interleaving records on the
// target partitions so source and target offsets diverge.
#pragma once

#include "kafka/group_offsets.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace k2k::reliability {

struct load_options {
  std::string source_bootstrap, target_bootstrap, topic;
  int partitions = 0;
  std::vector<std::string> groups; // committed by the simulated applications
  int records_per_second = 1500;
  uint64_t seed = 0;
};

using group_commits = std::map<std::string, std::map<kafka::topic_partition, int64_t>>;

class source_load {
public:
  explicit source_load(load_options options);
  ~source_load();
  void stop(); // stops producing and committing; flushes what was produced

  // The applications' commits as they were at `when` (the oldest known if earlier).
  group_commits commits_as_of(std::chrono::steady_clock::time_point when) const;
  int64_t produced() const;
  size_t commits() const { return commits_; }

private:
  void produce_loop();
  void commit_loop();
  load_options o_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::vector<std::atomic<int64_t>> delivered_; // per partition: next offset
  std::vector<std::pair<std::chrono::steady_clock::time_point, group_commits>> history_;
  std::atomic<size_t> commits_{0};
  std::thread producer_, committer_;
};

} // namespace k2k::reliability
