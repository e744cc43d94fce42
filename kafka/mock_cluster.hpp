// An embedded librdkafka mock cluster: real Kafka protocol on loopback ports,
// with fault injection. Used by the tests and by `k2k mock-cluster`.
#pragma once

#include "kafka/handles.hpp"

#include <librdkafka/rdkafka_mock.h>

#include <string>
#include <vector>

namespace k2k::kafka {

// Kafka protocol API keys, for injecting errors into one kind of request
// (librdkafka keeps its own RD_KAFKAP_* names private).
namespace api_key {
constexpr int16_t produce = 0;
constexpr int16_t fetch = 1;
constexpr int16_t list_offsets = 2;
constexpr int16_t metadata = 3;
constexpr int16_t offset_commit = 8;
constexpr int16_t offset_fetch = 9;
constexpr int16_t find_coordinator = 10;
constexpr int16_t join_group = 11;
constexpr int16_t heartbeat = 12;
constexpr int16_t sync_group = 14;
constexpr int16_t init_producer_id = 22;
constexpr int16_t add_partitions_to_txn = 24;
constexpr int16_t add_offsets_to_txn = 25;
constexpr int16_t end_txn = 26;
constexpr int16_t txn_offset_commit = 28;
} // namespace api_key

class mock_cluster {
public:
  explicit mock_cluster(int brokers = 3);
  ~mock_cluster();
  mock_cluster(const mock_cluster&) = delete;
  mock_cluster& operator=(const mock_cluster&) = delete;

  const std::string& bootstrap_servers() const { return bootstrap_; }
  int broker_count() const { return brokers_; }

  // librdkafka's mock has no CreateTopics; topics are made here. Throws on error.
  void create_topic(const std::string& name, int partitions, int replication_factor = 1);

  // Broker ids are 1..broker_count().
  void broker_down(int32_t broker_id);
  void broker_up(int32_t broker_id);
  void set_rtt(int32_t broker_id, int milliseconds);
  void set_leader(const std::string& topic, int32_t partition, int32_t broker_id);

  // Metadata answers `error` for the topic from now on (UNKNOWN_TOPIC_OR_PART: as if deleted;
  // librdkafka's mock cannot delete topics). NO_ERROR brings it back.
  void set_topic_error(const std::string& topic, rd_kafka_resp_err_t error);

  // The next requests of this API (api_key::produce, ...) fail with these errors, in order.
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
