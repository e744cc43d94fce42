#include "kafka/mock_cluster.hpp"

#include "kafka/client.hpp"

#include <stdexcept>

namespace k2k::kafka {

namespace {

void check(rd_kafka_resp_err_t err, const std::string& what) {
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
    throw std::runtime_error("mock cluster: " + what + ": " + rd_kafka_err2str(err));
}

} // namespace

mock_cluster::mock_cluster(int brokers) : brokers_(brokers) {
  // The owner handle never connects anywhere; only its errors are worth logging.
  owner_ = make_producer({{"log_level", "3"}});
  cluster_ = rd_kafka_mock_cluster_new(owner_.get(), brokers);
  if (!cluster_)
    throw std::runtime_error("mock cluster: cannot start " + std::to_string(brokers) + " brokers");
  bootstrap_ = rd_kafka_mock_cluster_bootstraps(cluster_);
}

mock_cluster::~mock_cluster() {
  if (cluster_)
    rd_kafka_mock_cluster_destroy(cluster_);
}

void mock_cluster::create_topic(const std::string& name, int partitions, int replication_factor) {
  check(rd_kafka_mock_topic_create(cluster_, name.c_str(), partitions, replication_factor),
        "create topic " + name);
}

void mock_cluster::broker_down(int32_t broker_id) {
  check(rd_kafka_mock_broker_set_down(cluster_, broker_id),
        "broker " + std::to_string(broker_id) + " down");
}

void mock_cluster::broker_up(int32_t broker_id) {
  check(rd_kafka_mock_broker_set_up(cluster_, broker_id),
        "broker " + std::to_string(broker_id) + " up");
}

void mock_cluster::set_rtt(int32_t broker_id, int milliseconds) {
  check(rd_kafka_mock_broker_set_rtt(cluster_, broker_id, milliseconds),
        "broker " + std::to_string(broker_id) + " rtt");
}

void mock_cluster::set_leader(const std::string& topic, int32_t partition, int32_t broker_id) {
  check(rd_kafka_mock_partition_set_leader(cluster_, topic.c_str(), partition, broker_id),
        "leader of " + topic + "[" + std::to_string(partition) + "]");
}

void mock_cluster::push_request_errors(int16_t api_key,
                                       const std::vector<rd_kafka_resp_err_t>& errors) {
  rd_kafka_mock_push_request_errors_array(cluster_, api_key, errors.size(), errors.data());
}

void mock_cluster::clear_request_errors(int16_t api_key) {
  rd_kafka_mock_clear_request_errors(cluster_, api_key);
}

void mock_cluster::set_topic_error(const std::string& topic, rd_kafka_resp_err_t error) {
  rd_kafka_mock_topic_set_error(cluster_, topic.c_str(), error);
}

} // namespace k2k::kafka
