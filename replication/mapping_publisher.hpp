// Offset mappings: a partition's confirmed prefix becomes one mapping record on the mapping
// topic (the offset-mapping service's input and the replicator's checkpoint).
#pragma once

#include "config/config.hpp"
#include "core/mapping_record.hpp"
#include "core/partition_progress.hpp"
#include "replication/counters.hpp"
#include "replication/partition_state.hpp"

#include <functional>

namespace k2k::replication {

class mapping_publisher {
public:
  // `position` tells where the source consumer of a partition stands (-1: unknown).
  mapping_publisher(const config::pipeline_config& cfg, replication_counters& counters,
                    std::function<int64_t(const partition_state&)> position)
      : cfg_(cfg), counters_(counters), position_(std::move(position)) {}

  // The mapping record of a confirmed prefix. With nothing in flight and nothing failed,
  // src_next reaches the consumer's position (past trailing transaction markers), never a
  // record still deferred (core::mapped_source_next).
  core::mapping_record mapping_for(partition_state& s, core::mapped_prefix prefix) const;

  // Produces it with a delivery tag; false (counted, the partition rewinds) when refused.
  bool produce(partition_state& s, rd_kafka_t* producer, const core::mapping_record& rec);

  // The delivery report of a mapping record. True when it is stored.
  bool delivered(partition_state& s, const delivery_tag& tag, const rd_kafka_message_t& m);

private:
  const config::pipeline_config& cfg_;
  replication_counters& counters_;
  std::function<int64_t(const partition_state&)> position_;
};

} // namespace k2k::replication
