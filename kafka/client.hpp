// Creating librdkafka clients from k2k property maps.
#pragma once

#include "kafka/handles.hpp"
#include "kafka/properties.hpp"

#include <string>

namespace k2k::kafka {

// Receives a group consumer's partition assignments (eager protocol). Both calls run
// inside rd_kafka_consumer_poll/close and must call rd_kafka_assign themselves.
class rebalance_listener {
public:
  virtual ~rebalance_listener() = default;
  virtual void on_assign(rd_kafka_t* rk, rd_kafka_topic_partition_list_t* partitions) = 0;
  virtual void on_revoke(rd_kafka_t* rk, rd_kafka_topic_partition_list_t* partitions) = 0;
};

using delivery_callback = void (*)(rd_kafka_t*, const rd_kafka_message_t*, void* opaque);

// Throws std::runtime_error with librdkafka's reason when the client cannot be made.
handle_ptr make_producer(const properties& props);
handle_ptr make_producer(const properties& props, delivery_callback on_delivery, void* opaque);
handle_ptr make_consumer(const properties& props);
handle_ptr make_consumer(const properties& props, rebalance_listener* listener);

// "topic[partition]" for log lines and errors.
std::string describe(const std::string& topic, int32_t partition);

} // namespace k2k::kafka
