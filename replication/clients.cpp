#include "replication/clients.hpp"

#include "core/client_ids.hpp"
#include "kafka/admin.hpp"

namespace k2k::replication {

namespace {
void set_default(kafka::properties& p, const std::string& key, const std::string& value) {
  p.emplace(key, value); // only when the user did not set it
}
} // namespace

worker_clients worker_clients::make(const config::pipeline_config& cfg,
                                    kafka::rebalance_listener* listener,
                                    kafka::delivery_callback on_delivery, void* opaque) {
  worker_clients c;
  auto consumer_props = cfg.source.kafka.for_consumer();
  set_default(consumer_props, "group.id", core::replicator_group_id(cfg.name));
  set_default(consumer_props, "auto.offset.reset", "earliest");
  // Records of aborted source transactions are never replicated.
  set_default(consumer_props, "isolation.level", "read_committed");
  set_default(consumer_props, "queued.min.messages", kafka::backlog_queued_min_messages);
  // Partitions added on source are seen at the topic refresh, not librdkafka's 5 minutes.
  set_default(consumer_props, "topic.metadata.refresh.interval.ms",
              std::to_string(cfg.replicator.topic_refresh_interval.count()));
  consumer_props["enable.auto.commit"] = "false";
  consumer_props["enable.auto.offset.store"] = "false";
  c.consumer = kafka::make_consumer(consumer_props, listener);

  auto producer_props = cfg.target.kafka.for_producer();
  // Idempotence keeps each partition in order and free of retry duplicates.
  set_default(producer_props, "enable.idempotence", "true");
  set_default(producer_props, "linger.ms", "5");
  c.producer = kafka::make_producer(producer_props, on_delivery, opaque);

  c.source_admin = kafka::make_admin_client(cfg.source.kafka.for_admin());
  c.target_admin = kafka::make_admin_client(cfg.target.kafka.for_admin());
  return c;
}

worker_clients::~worker_clients() {
  std::vector<kafka::handle_ptr> clients;
  for (auto* h : {&consumer, &source_admin, &producer, &target_admin})
    if (*h)
      clients.push_back(std::move(*h));
  if (!clients.empty())
    kafka::destroy_within(std::move(clients), std::chrono::seconds(10), "replicate");
}

std::optional<error_info> worker_clients::producer_failure() const {
  char reason[512];
  if (auto e = rd_kafka_fatal_error(producer.get(), reason, sizeof reason))
    return error_info{ec::kafka_error, std::string{"target producer failed: "} + reason + " (" +
                                           rd_kafka_err2name(e) + ")"};
  return std::nullopt;
}

} // namespace k2k::replication
