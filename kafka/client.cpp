#include "kafka/client.hpp"

#include "kafka/logging.hpp"

#include <spdlog/spdlog.h>

#include <future>
#include <stdexcept>
#include <thread>

namespace k2k::kafka {

namespace {

template <class Configure>
handle_ptr make_client(rd_kafka_type_t type, const properties& props, Configure&& configure) {
  auto conf = make_conf(props);
  route_logs(conf.get());
  configure(conf.get());
  char err[512];
  rd_kafka_t* rk = rd_kafka_new(type, conf.get(), err, sizeof err);
  if (!rk)
    throw std::runtime_error(std::string{"cannot create Kafka client: "} + err);
  conf.release(); // rd_kafka_new took ownership
  return handle_ptr{rk};
}

void dispatch_rebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                        rd_kafka_topic_partition_list_t* partitions, void* opaque) {
  auto* listener = static_cast<rebalance_listener*>(opaque);
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS)
    listener->on_assign(rk, partitions);
  else
    listener->on_revoke(rk, partitions);
}

} // namespace

handle_ptr make_producer(const properties& props) {
  return make_client(RD_KAFKA_PRODUCER, props, [](rd_kafka_conf_t*) {});
}

handle_ptr make_producer(const properties& props, delivery_callback on_delivery, void* opaque) {
  return make_client(RD_KAFKA_PRODUCER, props, [&](rd_kafka_conf_t* conf) {
    rd_kafka_conf_set_opaque(conf, opaque);
    rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
  });
}

handle_ptr make_consumer(const properties& props) {
  return make_consumer(props, nullptr);
}

handle_ptr make_consumer(const properties& props, rebalance_listener* listener) {
  auto rk = make_client(RD_KAFKA_CONSUMER, props, [&](rd_kafka_conf_t* conf) {
    if (listener) {
      rd_kafka_conf_set_opaque(conf, listener);
      rd_kafka_conf_set_rebalance_cb(conf, dispatch_rebalance);
    }
  });
  rd_kafka_poll_set_consumer(rk.get());
  return rk;
}

std::string describe(const std::string& topic, int32_t partition) {
  return topic + "[" + std::to_string(partition) + "]";
}

void destroy_within(std::vector<handle_ptr> clients, std::chrono::milliseconds timeout,
                    const std::string& owner) {
  std::vector<std::future<void>> destroyed;
  for (auto& client : clients)
    if (client)
      destroyed.push_back(
          std::async(std::launch::async, [c = client.release()] { rd_kafka_destroy(c); }));
  auto deadline = std::chrono::steady_clock::now() + timeout;
  size_t stuck = 0;
  for (auto& d : destroyed)
    if (d.wait_until(deadline) != std::future_status::ready) {
      ++stuck;
      // a std::async future blocks in its destructor: move the wait to a detached thread
      std::thread([d = std::move(d)]() mutable { d.wait(); }).detach();
    }
  if (stuck > 0)
    spdlog::warn("{}: {} Kafka client(s) still closing after {} ms; not waiting for them", owner,
                 stuck, timeout.count());
}

} // namespace k2k::kafka
