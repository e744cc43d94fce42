// The real Apache Kafka clusters CTest's `kafka` fixture started with tools/kafka-cluster
// (tests/CMakeLists.txt): "source" and "target", shared by every test labelled kafka; tests
// keep apart by unique topic, group and pipeline names.
#pragma once

#include "config/config.hpp"
#include "kafka/handles.hpp"
#include "reliability/child_process.hpp"
#include "support/replication_fixture.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace k2k::test {

// NAME's bootstrap servers, read from $K2K_KAFKA_CLUSTER_DIR/NAME/env. Throws, saying how to
// start it, when the cluster is not there.
std::string real_cluster(const std::string& name);

// What `tools/kafka-cluster up` printed for cluster NAME ($K2K_KAFKA_CLUSTER_DIR/NAME/env),
// without the NAME_ prefix: BOOTSTRAP, and on a secured cluster INTERNAL_BOOTSTRAP (its
// PLAINTEXT listener for test tools), CA_FILE and ADMIN_CONFIG. Throws when it is not there.
std::map<std::string, std::string> real_cluster_env(const std::string& name);

// The Kafka version cluster NAME runs ("4.4.0"); throws when it is not there.
std::string real_cluster_version(const std::string& name);

// A name no other test (nor an earlier run against the same cluster) uses.
std::string unique_name(const std::string& prefix);

// Creates topic on a real cluster (replication factor: the cluster's default); throws on error.
void create_real_topic(const std::string& bootstrap, const std::string& topic, int partitions,
                       std::map<std::string, std::string> configs = {});

// A pipeline between the real source and target clusters with a name of its own (its groups
// and transactional ids are then its own too); see pipeline() in replication_fixture.hpp.
config::pipeline_config real_pipeline(const std::string& topics_yaml,
                                      const std::string& extra_yaml = "",
                                      const std::string& replicator_settings = "");

// Polls `condition` every `interval` until it holds, for what another process or the broker
// does (the cleaner, an election, a replicator process): nothing this one can wait on. How
// long it took; nullopt when `timeout` passed first.
std::optional<std::chrono::milliseconds>
poll_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout,
           std::chrono::milliseconds interval = std::chrono::milliseconds(50));

// True once the worker's checkpoint (confirmed mappings) of each listed partition is at its
// end; false after the timeout or once it failed (its error then in the test's output).
bool replicated_to(const running_worker& worker, const std::map<int32_t, int64_t>& ends,
                   std::chrono::milliseconds timeout = std::chrono::seconds(60));

// Commits `offset` for group on topic[partition] through the admin API (the group has no
// members); throws on error.
void commit_offset(const std::string& bootstrap, const std::string& group, const std::string& topic,
                   int32_t partition, int64_t offset);

// The group's committed offset of topic[partition], if any.
std::optional<int64_t> committed_offset(const std::string& bootstrap, const std::string& group,
                                        const std::string& topic, int32_t partition);

// One record a read_committed consumer sees.
struct seen_record {
  int64_t offset = -1;
  int64_t source_offset = -1; // its k2k_offset header, -1 without one
};

// What a read_committed consumer reads of topic[partition] from `from` to the partition's end.
std::vector<seen_record> read_committed(const std::string& bootstrap, const std::string& topic,
                                        int32_t partition, int64_t from = 0);

// Replaces the configs set on topic (AlterConfigs: the ones not named return to the
// cluster's defaults); throws on error.
void set_topic_configs(const std::string& bootstrap, const std::string& topic,
                       const std::map<std::string, std::string>& configs);

// The configs set on topic itself (not the cluster's defaults); throws on error.
std::map<std::string, std::string> topic_configs(const std::string& bootstrap,
                                                 const std::string& topic);

// Partition count of topic (0: no such topic).
int partition_count(const std::string& bootstrap, const std::string& topic);

// Commits one group per source position 0..end of topic[0] on source ("<prefix>-<S>"), runs
// the offset-mapping service of `cfg` (those groups, polled every 250 ms) until each has a
// target commit, and checks each: the commit is the first copy at or after S (replication
// is complete up to `end`), and a consumer resuming there reads exactly the records of
// `source_records` (the offsets a read_committed consumer saw on source) from S on.
void expect_every_position_translates(config::pipeline_config cfg, const std::string& topic,
                                      int64_t end, const std::vector<int64_t>& source_records);

// Target offsets of topic[partition] that a read_uncommitted consumer sees and a
// read_committed one does not: records of open or aborted transactions.
std::vector<int64_t> uncommitted_offsets(const std::string& bootstrap, const std::string& topic,
                                         int32_t partition);

// Source records ("k<i>"/"v<i>") written steadily to every partition of a topic from a thread
// of its own, as an application would, 50 at a time per partition.
class steady_source {
public:
  steady_source(std::string bootstrap, std::string topic, int partitions);
  ~steady_source();
  // Stops writing; returns how many records each partition got.
  std::vector<int64_t> stop();
  // How many records each partition has got so far.
  std::vector<int64_t> written() const;

private:
  void run();
  std::string bootstrap_, topic_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::vector<int64_t> written_;
  std::thread thread_;
};

// Runs `tools/kafka-cluster COMMAND --dir <fixture dir>/NAME --node NODE` (kill, stop, start,
// pause, resume); throws when it fails.
void cluster_command(const std::string& name, const std::string& command, int32_t node);

// The node id leading topic[partition] on cluster NAME (as kafka-cluster's --node takes it); throws
// when metadata cannot be read.
int32_t leader_of(const std::string& name, const std::string& topic, int32_t partition);

// The node id of cluster NAME's active controller (the KRaft quorum leader: metadata's
// "controller" is any broker under KRaft); throws when unknown.
int32_t controller_of(const std::string& name);

using reliability::command_result;
using reliability::run_command;

// The command line running Kafka's own command-line TOOL (`kafka-cluster tool`:
// console-consumer, consumer-groups, ...) of the fixture's Kafka version with `args`.
std::string kafka_tool(const std::string& tool, const std::string& args);

// The coordinator's state of a transactional id (Ongoing, PrepareCommit, CompleteCommit, ...:
// Kafka's TransactionState), from `kafka-transactions describe`; empty when the coordinator
// does not know the id.
std::string transaction_state(const std::string& bootstrap, const std::string& transactional_id);

// A transactional producer, initialised; throws on error.
kafka::handle_ptr transactional_producer(const std::string& bootstrap, const std::string& id);

// Queues one record (value `value`) to topic[partition]; throws when it cannot be queued.
void send(rd_kafka_t* producer, const std::string& topic, int32_t partition,
          const std::string& value);

} // namespace k2k::test
