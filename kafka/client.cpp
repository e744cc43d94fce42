#include "kafka/client.hpp"

#include "kafka/logging.hpp"

#include <stdexcept>

namespace k2k::kafka {

namespace {

handle_ptr make_client(rd_kafka_type_t type, const properties& props) {
  auto conf = make_conf(props);
  route_logs(conf.get());
  char err[512];
  rd_kafka_t* rk = rd_kafka_new(type, conf.get(), err, sizeof err);
  if (!rk)
    throw std::runtime_error(std::string{"cannot create Kafka client: "} + err);
  conf.release(); // rd_kafka_new took ownership
  return handle_ptr{rk};
}

} // namespace

handle_ptr make_producer(const properties& props) {
  return make_client(RD_KAFKA_PRODUCER, props);
}

handle_ptr make_consumer(const properties& props) {
  auto rk = make_client(RD_KAFKA_CONSUMER, props);
  rd_kafka_poll_set_consumer(rk.get());
  return rk;
}

std::string describe(const std::string& topic, int32_t partition) {
  return topic + "[" + std::to_string(partition) + "]";
}

} // namespace k2k::kafka
