// Reading a range of one partition with an assigned (group-less) consumer.
#pragma once

#include "kafka/handles.hpp"

#include <chrono>
#include <functional>
#include <string>

namespace k2k::kafka {

// Calls on_record for every record of [from, until) of topic[partition], stopping early at
// the partition's end (the reader needs enable.partition.eof=true for that) or at the
// deadline. Returns true when it reached `until` or the end.
bool scan_partition(rd_kafka_t* reader, const std::string& topic, int32_t partition, int64_t from,
                    int64_t until, const std::function<void(const rd_kafka_message_t&)>& on_record,
                    std::chrono::milliseconds deadline = std::chrono::seconds(60));

// Low and high watermark; throws std::runtime_error naming the partition on failure.
std::pair<int64_t, int64_t> watermarks(rd_kafka_t* rk, const std::string& topic,
                                       int32_t partition);

} // namespace k2k::kafka
