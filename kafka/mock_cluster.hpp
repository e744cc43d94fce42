// An embedded librdkafka mock cluster: real Kafka protocol on loopback ports,
// with fault injection. Used by the tests and by `k2k mock-cluster`.
#pragma once

#include "kafka/handles.hpp"

#include <librdkafka/rdkafka_mock.h>

#include <string>
#include <vector>

namespace k2k::kafka {

class mock_cluster {
public:
  explicit mock_cluster(int brokers = 3);
  ~mock_cluster();
  mock_cluster(const mock_cluster&) = delete;
  mock_cluster& operator=(const mock_cluster&) = delete;

  const std::string& bootstrap_servers() const { return bootstrap_; }
  int broker_count() const { return brokers_; }

  // The 2.0.2 mock has no CreateTopics; topics are made here. Throws on error.
  void create_topic(const std::string& name, int partitions, int replication_factor = 1);

  // Broker ids are 1..broker_count().
  void broker_down(int32_t broker_id);
  void broker_up(int32_t broker_id);
  void set_rtt(int32_t broker_id, int milliseconds);

  // The next requests of this API (RD_KAFKAP_Produce, ...) fail with these errors, in order.
  void push_request_errors(int16_t api_key, const std::vector<rd_kafka_resp_err_t>& errors);
  void clear_request_errors(int16_t api_key);

  rd_kafka_mock_cluster_t* native() const { return cluster_; }

private:
  int brokers_;
  handle_ptr owner_; // the mock cluster lives inside this handle
  rd_kafka_mock_cluster_t* cluster_ = nullptr;
  std::string bootstrap_;
};

} // namespace k2k::kafka
