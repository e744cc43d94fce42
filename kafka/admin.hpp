// Cluster metadata and admin calls (real Kafka admin APIs; where the mock lacks one
// the error says so).
#pragma once

#include "core/error.hpp"
#include "kafka/handles.hpp"
#include "kafka/properties.hpp"

#include <chrono>
#include <map>
#include <string>

namespace k2k::kafka {

// Partition count of every topic in the cluster (internal topics included).
result<std::map<std::string, int>> list_topics(rd_kafka_t* rk, std::chrono::milliseconds timeout);

struct new_topic {
  std::string name;
  int partitions = 1;
  int replication_factor = -1; // -1: the broker's default
  std::map<std::string, std::string> configs;
};

// CreateTopics; a topic that already exists is not an error. Returns once the broker the
// client asks shows the topic (or the timeout passed), so that the next read of it works.
std::optional<error_info> create_topic(rd_kafka_t* rk, const new_topic& topic,
                                       std::chrono::milliseconds timeout);

// CreatePartitions: grows topic to `total` partitions; a topic that already has them is not
// an error. Returns once the client's broker shows them (or the timeout passed).
std::optional<error_info> create_partitions(rd_kafka_t* rk, const std::string& topic, int total,
                                            std::chrono::milliseconds timeout);

// The configs set on the topic itself (DescribeConfigs, source DYNAMIC_TOPIC_CONFIG): what
// differs from the cluster's defaults. Sensitive values are left out. ec::not_supported where
// the cluster cannot describe configs (librdkafka's mock).
result<std::map<std::string, std::string>>
topic_configs_set(rd_kafka_t* rk, const std::string& topic, std::chrono::milliseconds timeout);

// The partition Kafka's Java client would choose for this key (murmur2), so every
// tool agrees which mapping partition holds a source partition's mappings.
int32_t key_partition(const std::string& key, int32_t partition_count);

// A client for metadata and admin requests that never auto-creates topics.
handle_ptr make_admin_client(properties props);

} // namespace k2k::kafka
