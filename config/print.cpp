#include "config/print.hpp"

#include "kafka/properties.hpp"

#include <yaml-cpp/yaml.h>

namespace k2k::config {

namespace {

const char* toggle(bool on) {
  return on ? "enabled" : "disabled";
}
const char* name(on_error e) {
  return e == on_error::fail ? "fail" : "ignore";
}
const char* name(source_commits from) {
  return from == source_commits::automatic          ? "auto"
         : from == source_commits::consumer_offsets ? "consumer-offsets"
                                                    : "poll";
}

void emit_properties(YAML::Emitter& out, const char* role, const kafka_properties& props) {
  out << YAML::Key << role << YAML::Value << YAML::BeginMap;
  for (const auto& [key, value] : props)
    out << YAML::Key << key << YAML::Value
        << (kafka::is_secret_property(key) ? std::string{"***"} : value);
  out << YAML::EndMap;
}

void emit_selector(YAML::Emitter& out, const std::vector<std::string>& names,
                   const std::string& regex) {
  if (regex.empty())
    out << YAML::Flow << names;
  else
    out << YAML::DoubleQuoted << regex;
}

} // namespace

std::string to_yaml(const pipeline_config& c) {
  auto ms = [](std::chrono::milliseconds d) { return std::to_string(d.count()) + "ms"; };
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "name" << YAML::Value << c.name;
  for (auto [label, cluster] : {std::pair{"source", &c.source}, std::pair{"target", &c.target}}) {
    out << YAML::Key << label << YAML::Value << YAML::BeginMap << YAML::Key << "kafka"
        << YAML::Value << YAML::BeginMap;
    emit_properties(out, "common", cluster->kafka.common);
    emit_properties(out, "consumer", cluster->kafka.consumer);
    if (cluster == &c.target)
      emit_properties(out, "producer", cluster->kafka.producer);
    emit_properties(out, "admin", cluster->kafka.admin);
    out << YAML::EndMap << YAML::EndMap;
  }

  const auto& topics = c.replication.topics;
  out << YAML::Key << "replication" << YAML::Value << YAML::BeginSeq;
  out << YAML::BeginMap << YAML::Key << "source" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "topic" << YAML::Value;
  if (topics.regex.empty()) {
    out << YAML::Flow << topics.names;
  } else {
    out << YAML::BeginMap << YAML::Key << "regex" << YAML::Value << YAML::DoubleQuoted
        << topics.regex;
    if (!topics.exclude_regex.empty() || !topics.exclude_names.empty()) {
      out << YAML::Key << "exclude" << YAML::Value;
      emit_selector(out, topics.exclude_names, topics.exclude_regex);
    }
    out << YAML::EndMap;
  }
  out << YAML::EndMap << YAML::EndMap;
  out << YAML::BeginMap << YAML::Key << "sink" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "topic" << YAML::Value;
  if (c.replication.sink.topic_prefix.empty())
    out << "source";
  else
    out << YAML::Flow << YAML::BeginMap << YAML::Key << "prefix" << YAML::Value
        << c.replication.sink.topic_prefix << YAML::EndMap;
  out << YAML::Key << "partition" << YAML::Value
      << (c.replication.sink.partition == sink_partitioning::source ? "source" : "key");
  out << YAML::EndMap << YAML::EndMap << YAML::EndSeq;

  const auto& f = c.features;
  const auto& th = f.tracing_headers;
  out << YAML::Key << "features" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "offsetMapping" << YAML::Value << toggle(f.offset_mapping);
  out << YAML::Key << "tracingHeaders" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "topic" << YAML::Value << toggle(th.topic);
  out << YAML::Key << "partition" << YAML::Value << toggle(th.partition);
  out << YAML::Key << "offset" << YAML::Value << toggle(th.offset);
  out << YAML::Key << "timestamp" << YAML::Value << toggle(th.timestamp);
  out << YAML::Key << "pipeline" << YAML::Value << toggle(th.pipeline);
  out << YAML::EndMap;
  out << YAML::Key << "keepRecordCreationTimestamp" << YAML::Value
      << toggle(f.keep_record_creation_timestamp);
  out << YAML::Key << "exactlyOnce" << YAML::Value << toggle(f.exactly_once);
  out << YAML::Key << "applyMappingsGuard" << YAML::Value << toggle(f.apply_mappings_guard);
  out << YAML::EndMap;

  const auto& hn = c.tracing_headers;
  out << YAML::Key << "tracing" << YAML::Value << YAML::BeginMap << YAML::Key << "headers"
      << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "topic" << YAML::Value << hn.topic;
  out << YAML::Key << "partition" << YAML::Value << hn.partition;
  out << YAML::Key << "offset" << YAML::Value << hn.offset;
  out << YAML::Key << "timestamp" << YAML::Value << hn.timestamp;
  out << YAML::Key << "pipeline" << YAML::Value << hn.pipeline;
  out << YAML::EndMap << YAML::EndMap;

  out << YAML::Key << "offsetMapping" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "topic" << YAML::Value << c.offset_mapping.topic;
  out << YAML::Key << "partitions" << YAML::Value << c.offset_mapping.partitions;
  out << YAML::Key << "replicationFactor" << YAML::Value << c.offset_mapping.replication_factor;
  out << YAML::Key << "maxRunsPerPartition" << YAML::Value
      << c.offset_mapping.max_runs_per_partition;
  if (c.offset_mapping.max_run_age.count() > 0)
    out << YAML::Key << "maxRunAge" << YAML::Value << ms(c.offset_mapping.max_run_age);
  out << YAML::EndMap;

  const auto& g = c.groups;
  out << YAML::Key << "groups" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "consumerGroups" << YAML::Value;
  emit_selector(out, g.consumer_groups.names, g.consumer_groups.regex);
  if (!g.consumer_groups.exclude_names.empty() || !g.consumer_groups.exclude_regex.empty()) {
    out << YAML::Key << "exclude" << YAML::Value;
    emit_selector(out, g.consumer_groups.exclude_names, g.consumer_groups.exclude_regex);
  }
  out << YAML::Key << "pollInterval" << YAML::Value << ms(g.poll_interval);
  out << YAML::Key << "offsetGuardPrefix" << YAML::Value << YAML::DoubleQuoted
      << g.offset_guard_prefix;
  out << YAML::Key << "ioParallelism" << YAML::Value << g.io_parallelism;
  out << YAML::Key << "commitTimeout" << YAML::Value << ms(g.commit_timeout);
  out << YAML::Key << "sourceCommits" << YAML::Value << name(g.source_commits_from);
  out << YAML::Key << "offsetClients" << YAML::Value
      << (g.offset_clients_kind == offset_clients::shared ? "shared" : "per-group");
  out << YAML::EndMap;

  out << YAML::Key << "errorHandling" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "onActiveConsumerGroupCommit" << YAML::Value
      << name(c.error_handling.on_active_consumer_group_commit);
  out << YAML::Key << "onMultipleTargetCommittedOffsets" << YAML::Value
      << name(c.error_handling.on_multiple_target_committed_offsets);
  out << YAML::EndMap;

  out << YAML::Key << "metrics" << YAML::Value << YAML::BeginMap << YAML::Key << "listen"
      << YAML::Value << c.metrics.listen << YAML::EndMap;

  const auto& rep = c.replicator;
  out << YAML::Key << "replicator" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "maxInFlightRecords" << YAML::Value << rep.max_in_flight_records;
  out << YAML::Key << "batchSize" << YAML::Value << rep.batch_size;
  out << YAML::Key << "reportInterval" << YAML::Value << ms(rep.report_interval);
  out << YAML::Key << "topicRefreshInterval" << YAML::Value << ms(rep.topic_refresh_interval);
  out << YAML::Key << "shutdownTimeout" << YAML::Value << ms(rep.shutdown_timeout);
  out << YAML::EndMap;

  out << YAML::Key << "topicCreation" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "replicationFactor" << YAML::Value << c.topic_creation.replication_factor;
  out << YAML::Key << "excludeConfigs" << YAML::Value << YAML::Flow
      << c.topic_creation.exclude_configs;
  out << YAML::EndMap;
  out << YAML::EndMap;
  return std::string{out.c_str()} + "\n";
}

} // namespace k2k::config
