#include "support/replication_fixture.hpp"

#include "config/load.hpp"
#include "core/decimal.hpp"
#include "core/mapping_record.hpp"
#include "kafka/client.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>

namespace k2k::test {

config::pipeline_config pipeline(const two_clusters& c, const std::string& topics_yaml,
                                 const std::string& extra_yaml,
                                 const std::string& replicator_settings) {
  return pipeline(c.source.bootstrap_servers(), c.target.bootstrap_servers(), topics_yaml,
                  extra_yaml, replicator_settings);
}

config::pipeline_config pipeline(const std::string& source_bootstrap,
                                 const std::string& target_bootstrap,
                                 const std::string& topics_yaml, const std::string& extra_yaml,
                                 const std::string& replicator_settings) {
  // Short session timeouts: the mock only notices a vanished member when it expires.
  auto yaml = "name: test-pipeline\n"
              "source:\n  kafka:\n    common: {bootstrap.servers: \"" +
              source_bootstrap +
              "\"}\n    consumer: {session.timeout.ms: \"6000\", heartbeat.interval.ms: \"500\"}\n"
              "target:\n  kafka:\n    common: {bootstrap.servers: \"" +
              target_bootstrap +
              "\"}\n"
              "replication:\n  - source: {topic: " +
              topics_yaml +
              "}\n"
              "replicator: {reportInterval: 2s, topicRefreshInterval: 500ms" +
              (replicator_settings.empty() ? "" : ", " + replicator_settings) + "}\n" + extra_yaml;
  auto loaded = config::load_string(yaml, "test.yaml");
  if (!loaded.ok())
    throw std::runtime_error("test config: " + loaded.errors.front().to_string());
  return loaded.config;
}

running_worker::running_worker(config::pipeline_config cfg)
    : worker_(std::move(cfg)), thread_([this] {
        result_ = worker_.run();
        if (result_) // the CLI prints it; here the test log shows it
          spdlog::error("test worker stopped: {}", result_->message);
      }) {}

running_worker::~running_worker() {
  stop();
}

void running_worker::stop() {
  worker_.stop();
  if (thread_.joinable())
    thread_.join();
}

void running_worker::abort() {
  worker_.abort();
  if (thread_.joinable())
    thread_.join();
}

mapping_view read_mappings(const std::string& bootstrap, const std::string& topic, int partitions,
                           const std::function<bool(const mapping_view&)>& done,
                           std::chrono::milliseconds deadline) {
  mapping_view view;
  auto rk = kafka::make_consumer({{"bootstrap.servers", bootstrap},
                                  {"group.id", "k2k-test-mappings"},
                                  {"enable.auto.commit", "false"}});
  kafka::topic_partition_list_ptr list{rd_kafka_topic_partition_list_new(partitions)};
  for (int p = 0; p < partitions; ++p)
    rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), p)->offset =
        RD_KAFKA_OFFSET_BEGINNING;
  rd_kafka_assign(rk.get(), list.get());
  auto end = std::chrono::steady_clock::now() + deadline;
  while (!done(view) && std::chrono::steady_clock::now() < end) {
    kafka::message_ptr m{rd_kafka_consumer_poll(rk.get(), 200)};
    if (!m || m->err)
      continue;
    auto rec = core::decode_mapping({static_cast<const char*>(m->payload), m->len});
    if (!rec)
      throw std::runtime_error("undecodable mapping: " + rec.error().message);
    core::apply_mapping(view[core::mapping_key(rec->source_topic, rec->source_partition)], *rec);
  }
  return view;
}

std::function<bool(const mapping_view&)> covers(std::map<std::string, int64_t> wanted) {
  return [wanted = std::move(wanted)](const mapping_view& view) {
    for (const auto& [key, n] : wanted) {
      auto it = view.find(key);
      if (it == view.end() || it->second.covered().value < n)
        return false;
    }
    return true;
  };
}

std::optional<std::string> header(const test_record& r, const std::string& name) {
  std::optional<std::string> value;
  for (const auto& [k, v] : r.headers)
    if (k == name)
      value = v; // the last one wins, as for Kafka clients' lastHeader()
  return value;
}

core::copy_log copies_on_target(const std::string& bootstrap, const std::string& topic,
                                int32_t partition) {
  core::copy_log copies;
  auto end = high_watermark(bootstrap, topic, partition);
  for (const auto& r : consume(bootstrap, topic, partition, 0, end))
    if (auto s = header(r, "k2k_offset"))
      copies.add(*core::parse_decimal(*s), r.offset);
  return copies;
}

} // namespace k2k::test
