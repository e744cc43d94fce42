// Watches a cluster's group commits from a thread of its own, reading them as fast as the
// cluster answers, and records every change, every move backwards and the highest offset each
// group-partition ever had.
#pragma once

#include "kafka/group_offsets.hpp"

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace k2k::reliability {

struct commit_regression {
  std::string group;
  kafka::topic_partition partition;
  kafka::committed_offset before, after;
};

class commit_watch {
public:
  commit_watch(std::string bootstrap, std::vector<std::string> groups,
               std::vector<kafka::topic_partition> partitions);
  ~commit_watch();

  // Every group's commits as last read.
  std::map<std::string, std::map<kafka::topic_partition, kafka::committed_offset>> latest() const;
  std::vector<commit_regression> regressions() const;
  // The highest offset each group-partition was seen at.
  std::map<std::string, std::map<kafka::topic_partition, int64_t>> highest() const;
  size_t reads() const { return reads_; }
  size_t changes() const { return changes_; }

private:
  void run();
  std::string bootstrap_;
  std::vector<std::string> groups_;
  std::vector<kafka::topic_partition> partitions_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::map<std::string, std::map<kafka::topic_partition, kafka::committed_offset>> latest_;
  std::vector<commit_regression> regressions_;
  std::map<std::string, std::map<kafka::topic_partition, int64_t>> highest_;
  std::atomic<size_t> reads_{0}, changes_{0};
  std::thread thread_;
};

} // namespace k2k::reliability
