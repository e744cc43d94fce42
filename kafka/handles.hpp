// RAII ownership of librdkafka handles: no naked rd_kafka_*_destroy anywhere else.
#pragma once

#include <librdkafka/rdkafka.h>

#include <memory>

namespace k2k::kafka {

struct conf_deleter {
  void operator()(rd_kafka_conf_t* p) const { rd_kafka_conf_destroy(p); }
};
struct topic_partition_list_deleter {
  void operator()(rd_kafka_topic_partition_list_t* p) const {
    rd_kafka_topic_partition_list_destroy(p);
  }
};
struct message_deleter {
  void operator()(rd_kafka_message_t* p) const { rd_kafka_message_destroy(p); }
};
struct event_deleter {
  void operator()(rd_kafka_event_t* p) const { rd_kafka_event_destroy(p); }
};
struct queue_deleter {
  void operator()(rd_kafka_queue_t* p) const { rd_kafka_queue_destroy(p); }
};
struct error_deleter {
  void operator()(rd_kafka_error_t* p) const { rd_kafka_error_destroy(p); }
};
struct headers_deleter {
  void operator()(rd_kafka_headers_t* p) const { rd_kafka_headers_destroy(p); }
};
// A consumer is closed before it is destroyed so it leaves its group cleanly.
struct handle_deleter {
  void operator()(rd_kafka_t* p) const {
    if (rd_kafka_type(p) == RD_KAFKA_CONSUMER && !rd_kafka_consumer_closed(p))
      rd_kafka_consumer_close(p);
    rd_kafka_destroy(p);
  }
};

using conf_ptr = std::unique_ptr<rd_kafka_conf_t, conf_deleter>;
using topic_partition_list_ptr =
    std::unique_ptr<rd_kafka_topic_partition_list_t, topic_partition_list_deleter>;
using message_ptr = std::unique_ptr<rd_kafka_message_t, message_deleter>;
using event_ptr = std::unique_ptr<rd_kafka_event_t, event_deleter>;
using queue_ptr = std::unique_ptr<rd_kafka_queue_t, queue_deleter>;
using error_ptr = std::unique_ptr<rd_kafka_error_t, error_deleter>;
using headers_ptr = std::unique_ptr<rd_kafka_headers_t, headers_deleter>;
using handle_ptr = std::unique_ptr<rd_kafka_t, handle_deleter>;

} // namespace k2k::kafka
