// Reading a range of one partition with an assigned (group-less) consumer.
#pragma once

#include "core/error.hpp"
#include "kafka/handles.hpp"
#include "kafka/properties.hpp"

#include <chrono>
#include <functional>
#include <string>

namespace k2k::kafka {

// A group-less consumer for scan_partition and read_records, made from `props` (with its
// group.id): never commits, reports partition ends, reads committed data only, and does not
// let the broker hold a fetch open at a partition's end (fetch.wait.max.ms 10): reads stop
// there, and the next read's fetch would queue behind the held one (up to 500 ms).
handle_ptr make_partition_reader(properties props);

// Calls on_record for every record of [from, until) of topic[partition], stopping early at
// the partition's end (the reader needs enable.partition.eof=true for that) or at the
// deadline. Returns true when it reached `until` or the end.
bool scan_partition(rd_kafka_t* reader, const std::string& topic, int32_t partition, int64_t from,
                    int64_t until, const std::function<void(const rd_kafka_message_t&)>& on_record,
                    std::chrono::milliseconds deadline = std::chrono::seconds(60));

// Reads at most max_records records of topic[partition] from `from` (the reader needs
// enable.partition.eof=true). Returns the offset after what was read: the last record's + 1,
// or the end offset the broker reported when the partition ended first.
result<int64_t> read_records(rd_kafka_t* reader, const std::string& topic, int32_t partition,
                             int64_t from, int64_t max_records,
                             const std::function<void(const rd_kafka_message_t&)>& on_record,
                             std::chrono::milliseconds timeout);

// The first offset whose record timestamp is >= timestamp_ms; -1 when there is none (the
// 2.0.2 mock answers -1 to every lookup), ec::not_supported where the broker lacks it.
result<int64_t> offset_for_time(rd_kafka_t* rk, const std::string& topic, int32_t partition,
                                int64_t timestamp_ms, std::chrono::milliseconds timeout);

// Makes `rk` know topic's partitions and leaders now, and returns each partition's leader (by
// partition id; -1: none). librdkafka learns them for a topic new to the client only at its
// next topic scan, so an assign of it would start fetching up to a second later. An error
// (nothing else happens) if the metadata request failed or the broker does not know the topic.
result<std::vector<int32_t>> learn_topic(rd_kafka_t* rk, const std::string& topic,
                                         std::chrono::milliseconds timeout);

// Low and high watermark; the error names the partition.
result<std::pair<int64_t, int64_t>> watermarks(rd_kafka_t* rk, const std::string& topic,
                                               int32_t partition);

} // namespace k2k::kafka
