// The pipeline configuration: plain structs with the documented defaults
// (docs/configuration.md). Filled by config::load, checked there too.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace k2k::config {

using kafka_properties = std::map<std::string, std::string>;

// librdkafka properties per client role, passed through verbatim.
struct kafka_settings {
  kafka_properties common;
  kafka_properties consumer;
  kafka_properties producer;
  kafka_properties admin;

  // common overlaid with the role's own map (the role wins).
  kafka_properties for_consumer() const;
  kafka_properties for_producer() const;
  kafka_properties for_admin() const;
};

struct cluster_settings {
  kafka_settings kafka;
};

// Selects names either by a list or by a regex (full match), minus exclusions.
struct name_selector {
  std::vector<std::string> names; // used when regex is empty
  std::string regex;
  std::vector<std::string> exclude_names;
  std::string exclude_regex;

  bool matches(const std::string& name) const;
};

enum class sink_partitioning { source, key };

struct sink_settings {
  std::string topic_prefix; // empty: same name as the source topic
  sink_partitioning partition = sink_partitioning::source;

  std::string target_topic(const std::string& source_topic) const {
    return topic_prefix + source_topic;
  }
};

struct replication_settings {
  name_selector topics;
  sink_settings sink;
};

struct tracing_header_switches {
  bool topic = true;
  bool partition = true;
  bool offset = true;
  bool timestamp = true;
  bool pipeline = true;
};

struct tracing_header_names {
  std::string topic = "k2k_topic";
  std::string partition = "k2k_partition";
  std::string offset = "k2k_offset";
  std::string timestamp = "k2k_timestamp";
  std::string pipeline = "k2k_pipeline";
};

struct feature_settings {
  bool offset_mapping = true;
  tracing_header_switches tracing_headers;
  bool keep_record_creation_timestamp = true;
  bool exactly_once = false;
  bool apply_mappings_guard = true;
};

struct offset_mapping_settings {
  std::string topic = "__k2k_offset_mappings";
  int partitions = 12;         // when k2k creates the topic
  int replication_factor = -1; // when k2k creates the topic; -1: broker default
  // Retention of the in-memory index of each source partition (oldest runs dropped first).
  int max_runs_per_partition = 1'000'000;
  std::chrono::milliseconds max_run_age{0}; // 0: keep runs whatever their age
};

// How the replicator creates missing target topics: the source topic's partition count and
// the configs set on it (DescribeConfigs), minus those that belong to the cluster, not the data.
struct topic_creation_settings {
  int replication_factor = -1; // -1: the target broker's default
  // As MirrorMaker 2's default filter: throttles, timestamp rules (LogAppendTime on target
  // would overwrite the copied timestamps), unclean election and min.insync.replicas.
  std::vector<std::string> exclude_configs{
      "follower.replication.throttled.replicas", "leader.replication.throttled.replicas",
      "message.timestamp.difference.max.ms",     "message.timestamp.type",
      "unclean.leader.election.enable",          "min.insync.replicas"};
};

struct replicator_settings {
  int max_in_flight_records = 50000; // backpressure: source partitions pause above this
  int batch_size = 5000;             // records taken from the source per cycle
  std::chrono::milliseconds report_interval{10000};
  std::chrono::milliseconds topic_refresh_interval{30000}; // regex subscriptions
  std::chrono::milliseconds shutdown_timeout{30000};
};

// Where the source groups' commits come from: __consumer_offsets when it can be read (auto),
// always (consumer-offsets: the start fails otherwise), or one OffsetFetch per group and
// pollInterval (poll).
enum class source_commits { automatic, consumer_offsets, poll };

// How a worker reads and writes groups' offsets: one admin client per lane in a helper
// process for all groups (shared), or a consumer handle per group (per-group).
enum class offset_clients { shared, per_group };

struct group_settings {
  name_selector consumer_groups{{}, ".*", {}, {}};
  std::chrono::milliseconds poll_interval{1000};
  std::string offset_guard_prefix = "k2k_";
  // Groups whose Kafka reads and writes can be in flight at once: each lane is a source
  // reader and a committer of its own (threads and clients), a group always on the same one.
  int io_parallelism = 4;
  // A write of a group's offsets not answered within this of its check is abandoned and its
  // client destroyed, so that it lands within twice this or never; a worker that takes a
  // mapping partition over writes for it only after twice this plus a second
  // (core/write_leases.hpp).
  std::chrono::milliseconds commit_timeout{2000};
  source_commits source_commits_from = source_commits::automatic;
  offset_clients offset_clients_kind = offset_clients::shared;
};

enum class on_error { fail, ignore };

struct error_handling_settings {
  on_error on_active_consumer_group_commit = on_error::fail;
  on_error on_multiple_target_committed_offsets = on_error::fail;
};

struct metrics_settings {
  std::string listen = "127.0.0.1:9091";
};

struct pipeline_config {
  std::string name;
  cluster_settings source;
  cluster_settings target;
  replication_settings replication;
  feature_settings features;
  tracing_header_names tracing_headers;
  offset_mapping_settings offset_mapping;
  group_settings groups;
  error_handling_settings error_handling;
  metrics_settings metrics;
  replicator_settings replicator;
  topic_creation_settings topic_creation;
};

} // namespace k2k::config
