// Runs replication workers against two mock clusters and reads back what they wrote.
#pragma once

#include "config/config.hpp"
#include "core/ground_truth.hpp"
#include "core/offset_index.hpp"
#include "replication/worker.hpp"
#include "support/kafka_test_util.hpp"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>

namespace k2k::test {

// A pipeline config for the two clusters; `extra_yaml` is appended to the document,
// `replicator_settings` (e.g. "batchSize: 10") go into its replicator map.
config::pipeline_config pipeline(const two_clusters& c, const std::string& topics_yaml,
                                 const std::string& extra_yaml = "",
                                 const std::string& replicator_settings = "");
// The same between any two clusters (a mock source and a real target, ...).
config::pipeline_config pipeline(const std::string& source_bootstrap,
                                 const std::string& target_bootstrap,
                                 const std::string& topics_yaml, const std::string& extra_yaml = "",
                                 const std::string& replicator_settings = "");

// A replication worker on its own thread; stopped gracefully when destroyed.
class running_worker {
public:
  explicit running_worker(config::pipeline_config cfg);
  ~running_worker();
  void stop();  // graceful, joins
  void abort(); // crash-like, joins
  replication::replication_status status() const { return worker_.status(); }
  bool wait_for_status(const std::function<bool(const replication::replication_status&)>& condition,
                       std::chrono::milliseconds timeout = std::chrono::seconds(60)) const {
    return worker_.wait_for_status(condition, timeout);
  }
  std::optional<error_info> result() const { return result_; }

private:
  replication::replication_worker worker_;
  std::optional<error_info> result_;
  std::thread thread_;
};

// Source partition "topic/partition" -> the index built from every mapping record read.
using mapping_view = std::map<std::string, core::offset_index>;

// Reads the mapping topic from the beginning until `done(view)` holds or the deadline
// passes; returns the view either way (callers assert on it).
mapping_view read_mappings(const std::string& bootstrap, const std::string& topic, int partitions,
                           const std::function<bool(const mapping_view&)>& done,
                           std::chrono::milliseconds deadline = std::chrono::seconds(60));

// True when every listed source partition is covered up to its count.
std::function<bool(const mapping_view&)> covers(std::map<std::string, int64_t> wanted);

// The value of a header, if present.
std::optional<std::string> header(const test_record& r, const std::string& name);

// Every copy on the target partition, from its records' k2k_offset headers (the ground truth).
core::copy_log copies_on_target(const std::string& bootstrap, const std::string& topic,
                                int32_t partition);

} // namespace k2k::test
