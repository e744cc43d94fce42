// Consumer-group offsets through the admin API: read committed offsets with their
// metadata, write them (with metadata), list groups.
#pragma once

#include "core/error.hpp"
#include "kafka/handles.hpp"

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace k2k::kafka {

using topic_partition = std::pair<std::string, int32_t>;

struct committed_offset {
  int64_t offset = -1;
  std::string metadata;
};

// The group's committed offsets for `partitions` (those without a commit are absent). An
// empty list asks for every partition the group has commits for: real brokers answer it,
// librdkafka's mock answers nothing.
result<std::map<topic_partition, committed_offset>>
list_group_offsets(rd_kafka_t* rk, const std::string& group,
                   const std::vector<topic_partition>& partitions,
                   std::chrono::milliseconds timeout);

// Outcome of one partition of an offsets write.
struct alter_outcome {
  rd_kafka_resp_err_t error = RD_KAFKA_RESP_ERR_NO_ERROR;
};

// The same two calls in halves, for many requests in flight on one client
// (kafka/group_offsets_server.hpp): the send puts its answer on `answers` with `opaque`
// (rd_kafka_event_opaque), the read turns that answer into what the call returns.
void send_list_group_offsets(rd_kafka_t* rk, const std::string& group,
                             const std::vector<topic_partition>& partitions,
                             std::chrono::milliseconds timeout, rd_kafka_queue_t* answers,
                             void* opaque);
result<std::map<topic_partition, committed_offset>>
read_list_group_offsets(rd_kafka_event_t* answer, const std::string& group);

// Writes all offsets of one group in one request. A group with live members is refused by
// the broker: that comes back as ec::active_group.
result<std::map<topic_partition, alter_outcome>>
alter_group_offsets(rd_kafka_t* rk, const std::string& group,
                    const std::map<topic_partition, committed_offset>& offsets,
                    std::chrono::milliseconds timeout);
void send_alter_group_offsets(rd_kafka_t* rk, const std::string& group,
                              const std::map<topic_partition, committed_offset>& offsets,
                              std::chrono::milliseconds timeout, rd_kafka_queue_t* answers,
                              void* opaque);
result<std::map<topic_partition, alter_outcome>> read_alter_group_offsets(rd_kafka_event_t* answer,
                                                                          const std::string& group);

// The partition lists both the admin and the consumer paths speak: offsets with metadata to a
// list, and a list's committed offsets back (partitions without a commit left out).
topic_partition_list_ptr to_partition_list(const std::vector<topic_partition>& partitions);
topic_partition_list_ptr
to_partition_list(const std::map<topic_partition, committed_offset>& offsets);
std::map<topic_partition, committed_offset>
committed_offsets(const rd_kafka_topic_partition_list_t& list);

// The broker's answers to an offset commit that mean "the group has live members".
bool live_members_error(rd_kafka_resp_err_t code);

struct group_description {
  std::string state; // "Stable", "Empty", "Dead" (no such group), ...
  size_t members = 0;
};

// DescribeGroups; ec::not_supported where the cluster cannot describe groups (the
// 2.0.2 mock).
result<group_description> describe_group(rd_kafka_t* rk, const std::string& group,
                                         std::chrono::milliseconds timeout);

// All consumer groups; ec::not_supported where the cluster lacks ListGroups (the mock).
result<std::vector<std::string>> list_groups(rd_kafka_t* rk, std::chrono::milliseconds timeout);

} // namespace k2k::kafka
