// Creating librdkafka clients from k2k property maps.
#pragma once

#include "kafka/handles.hpp"
#include "kafka/properties.hpp"

#include <chrono>
#include <string>
#include <vector>

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

// Destroys the clients, each on its own thread, waiting at most `timeout` for all of them; a
// client still not destroyed then is left to finish in the background, with a warning.
// librdkafka 2.0.2 hung in rd_kafka_destroy after a subscribed topic disappeared (its
// partition count went to 0; fixed upstream in 2.1.0 and 2.6.0, #4187, #4724). The bound
// stays on 2.14.2: a stopping process must never hang on a client, whatever the cause.
void destroy_within(std::vector<handle_ptr> clients, std::chrono::milliseconds timeout,
                    const std::string& owner);

// k2k's default queued.min.messages for consumers that read a backlog (the replicator's source,
// the mapping ingest). librdkafka (2.0.2 and 2.14.2) compares it with the length of the consumer's
// one queue, which holds every assigned partition's prefetch: at the default 100,000 a consumer of
// many partitions stopped fetching all of them whenever that many records were queued, and
// fetched again only when its broker thread next woke (up to ~1 s): the replicator ran at half
// speed every other second. The prefetch stays bounded by queued.max.messages.kbytes (64 MB by
// default).
inline constexpr const char* backlog_queued_min_messages = "10000000";

// "topic[partition]" for log lines and errors.
std::string describe(const std::string& topic, int32_t partition);

} // namespace k2k::kafka
