// The source cluster's consumer-group commits as they happen, read from its internal
// __consumer_offsets topic (groups.sourceCommits: consumer-offsets): one group-less consumer
// for every group, instead of one OffsetFetch per group and poll interval (KIP-1292's idea
// for MirrorMaker 2). It reads every partition from its start; once all were read to their
// ends it hands over the whole table, then every change after each burst of records.
#pragma once

#include "config/config.hpp"
#include "core/error.hpp"
#include "core/source_commit_table.hpp"
#include "offset_mapping/service_counters.hpp"

#include <atomic>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

namespace k2k::offset_mapping {

class source_commit_feed {
public:
  using changes = std::vector<core::source_commit_table::group_change>;
  // Called on the feed's thread.
  using on_changes = std::function<void(changes)>;

  // Fails when the source's __consumer_offsets cannot be read: the cluster does not have it
  // (the mock) or the principal may not describe it (ACLs). Reading starts with start().
  static result<std::unique_ptr<source_commit_feed>>
  open(const config::pipeline_config& cfg, std::shared_ptr<service_counters> counters,
       on_changes handler);

  ~source_commit_feed();
  source_commit_feed(const source_commit_feed&) = delete;
  source_commit_feed& operator=(const source_commit_feed&) = delete;

  void start();
  void stop(); // joins

private:
  struct impl;
  explicit source_commit_feed(std::unique_ptr<impl> impl);
  std::unique_ptr<impl> impl_;
  std::thread thread_;
};

} // namespace k2k::offset_mapping
