// Copying one source record to target partition p: the record's key, value, timestamp and
// headers, plus k2k's tracing headers; and what its delivery report means.
#pragma once

#include "config/config.hpp"
#include "replication/counters.hpp"
#include "replication/partition_state.hpp"

namespace k2k::replication {

// Hands the copy to `producer` with a delivery tag. A record librdkafka refuses outright is
// counted and marked failed: the partition is rewound to it.
void copy_record(partition_state& s, rd_kafka_t* producer, const rd_kafka_message_t& m,
                 const config::pipeline_config& cfg, replication_counters& counters);

// The delivery report of a data record (its tag's generation is current). True when the copy
// is stored on target with an offset; otherwise the partition is marked failed.
bool record_delivered(partition_state& s, const delivery_tag& tag, const rd_kafka_message_t& m,
                      replication_counters& counters);

} // namespace k2k::replication
