#include "kafka/admin.hpp"

#include "kafka/client.hpp"
#include "kafka/partition_reader.hpp"

#include <functional>
#include <thread>

namespace k2k::kafka {

namespace {

int ms(std::chrono::milliseconds d) {
  return static_cast<int>(d.count());
}

} // namespace

result<std::map<std::string, int>> list_topics(rd_kafka_t* rk, std::chrono::milliseconds timeout) {
  const rd_kafka_metadata_t* md = nullptr;
  if (auto err = rd_kafka_metadata(rk, 1, nullptr, &md, ms(timeout)))
    return error_info{ec::kafka_error,
                      std::string{"cannot read cluster metadata: "} + rd_kafka_err2str(err)};
  std::map<std::string, int> out;
  for (int i = 0; i < md->topic_cnt; ++i)
    if (!md->topics[i].err)
      out[md->topics[i].topic] = md->topics[i].partition_cnt;
  rd_kafka_metadata_destroy(md);
  return out;
}

namespace {

// Sends one admin request through `send(options, queue)` and waits for its result event; an
// error names `what`.
result<event_ptr>
admin_request(rd_kafka_t* rk, rd_kafka_admin_op_t op, std::chrono::milliseconds timeout,
              const std::string& what,
              const std::function<void(rd_kafka_AdminOptions_t*, rd_kafka_queue_t*)>& send) {
  char err[512];
  queue_ptr queue{rd_kafka_queue_new(rk)};
  rd_kafka_AdminOptions_t* options = rd_kafka_AdminOptions_new(rk, op);
  rd_kafka_AdminOptions_set_operation_timeout(options, ms(timeout), err, sizeof err);
  rd_kafka_AdminOptions_set_request_timeout(options, ms(timeout), err, sizeof err);
  send(options, queue.get());
  rd_kafka_AdminOptions_destroy(options);
  event_ptr ev{rd_kafka_queue_poll(queue.get(), ms(timeout) + 5000)};
  if (!ev)
    return error_info{ec::kafka_error, "cannot " + what + ": no answer"};
  if (auto e = rd_kafka_event_error(ev.get()))
    return error_info{e == RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE ? ec::not_supported
                                                                  : ec::kafka_error,
                      "cannot " + what + ": " + rd_kafka_event_error_string(ev.get())};
  return ev;
}

// The first error among per-topic results, `tolerated` aside.
std::optional<error_info> topic_results_error(const rd_kafka_topic_result_t** topics, size_t n,
                                              const std::string& what,
                                              rd_kafka_resp_err_t tolerated) {
  for (size_t i = 0; i < n; ++i) {
    auto e = rd_kafka_topic_result_error(topics[i]);
    if (e && e != tolerated)
      return error_info{ec::kafka_error,
                        "cannot " + what + ": " + rd_kafka_topic_result_error_string(topics[i])};
  }
  return std::nullopt;
}

// CreateTopics and CreatePartitions answer once the controller has the change; brokers learn
// it a moment later, and a client asking then hears "unknown partition". Waits (polling
// metadata: there is no event) until `rk`'s broker shows the partitions.
void await_partitions(rd_kafka_t* rk, const std::string& topic, int count,
                      std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto leaders = learn_topic(rk, topic, std::chrono::seconds(5));
    if (leaders && static_cast<int>(leaders->size()) >= count)
      return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

} // namespace

std::optional<error_info> create_topic(rd_kafka_t* rk, const new_topic& topic,
                                       std::chrono::milliseconds timeout) {
  const auto what = "create topic " + topic.name;
  char err[512];
  rd_kafka_NewTopic_t* nt = rd_kafka_NewTopic_new(topic.name.c_str(), topic.partitions,
                                                  topic.replication_factor, err, sizeof err);
  if (!nt)
    return error_info{ec::kafka_error, "cannot " + what + ": " + err};
  for (const auto& [key, value] : topic.configs)
    rd_kafka_NewTopic_set_config(nt, key.c_str(), value.c_str());
  auto ev = admin_request(
      rk, RD_KAFKA_ADMIN_OP_CREATETOPICS, timeout, what,
      [&](auto* options, auto* queue) { rd_kafka_CreateTopics(rk, &nt, 1, options, queue); });
  rd_kafka_NewTopic_destroy(nt);
  if (!ev)
    return ev.error();
  const auto* res = rd_kafka_event_CreateTopics_result(ev->get());
  size_t n = 0;
  const auto** topics = rd_kafka_CreateTopics_result_topics(res, &n);
  if (auto e = topic_results_error(topics, n, what, RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS))
    return e;
  await_partitions(rk, topic.name, topic.partitions, timeout);
  return std::nullopt;
}

std::optional<error_info> create_partitions(rd_kafka_t* rk, const std::string& topic, int total,
                                            std::chrono::milliseconds timeout) {
  const auto what = "add partitions to " + topic + " (" + std::to_string(total) + " in all)";
  char err[512];
  rd_kafka_NewPartitions_t* np =
      rd_kafka_NewPartitions_new(topic.c_str(), static_cast<size_t>(total), err, sizeof err);
  if (!np)
    return error_info{ec::kafka_error, "cannot " + what + ": " + err};
  auto ev = admin_request(
      rk, RD_KAFKA_ADMIN_OP_CREATEPARTITIONS, timeout, what,
      [&](auto* options, auto* queue) { rd_kafka_CreatePartitions(rk, &np, 1, options, queue); });
  rd_kafka_NewPartitions_destroy(np);
  if (!ev)
    return ev.error();
  const auto* res = rd_kafka_event_CreatePartitions_result(ev->get());
  size_t n = 0;
  const auto** topics = rd_kafka_CreatePartitions_result_topics(res, &n);
  // Another worker may have added them first: that count is then already there.
  if (auto e = topic_results_error(topics, n, what, RD_KAFKA_RESP_ERR_INVALID_PARTITIONS))
    return e;
  await_partitions(rk, topic, total, timeout);
  return std::nullopt;
}

result<std::map<std::string, std::string>>
topic_configs_set(rd_kafka_t* rk, const std::string& topic, std::chrono::milliseconds timeout) {
  const auto what = "describe the configs of topic " + topic;
  rd_kafka_ConfigResource_t* resource =
      rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic.c_str());
  auto ev = admin_request(rk, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS, timeout, what,
                          [&](auto* options, auto* queue) {
                            rd_kafka_DescribeConfigs(rk, &resource, 1, options, queue);
                          });
  rd_kafka_ConfigResource_destroy(resource);
  if (!ev)
    return ev.error();
  const auto* res = rd_kafka_event_DescribeConfigs_result(ev->get());
  size_t n = 0;
  const auto** resources = rd_kafka_DescribeConfigs_result_resources(res, &n);
  if (n != 1)
    return error_info{ec::kafka_error, "cannot " + what + ": no result"};
  if (auto e = rd_kafka_ConfigResource_error(resources[0]))
    return error_info{e == RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE ? ec::not_supported
                                                                  : ec::kafka_error,
                      "cannot " + what + ": " + rd_kafka_ConfigResource_error_string(resources[0])};
  size_t count = 0;
  const auto** entries = rd_kafka_ConfigResource_configs(resources[0], &count);
  std::map<std::string, std::string> out;
  for (size_t i = 0; i < count; ++i) {
    if (rd_kafka_ConfigEntry_source(entries[i]) != RD_KAFKA_CONFIG_SOURCE_DYNAMIC_TOPIC_CONFIG ||
        rd_kafka_ConfigEntry_is_sensitive(entries[i]))
      continue;
    const char* value = rd_kafka_ConfigEntry_value(entries[i]);
    out[rd_kafka_ConfigEntry_name(entries[i])] = value ? value : "";
  }
  return out;
}

int32_t key_partition(const std::string& key, int32_t partition_count) {
  return rd_kafka_msg_partitioner_murmur2(nullptr, key.data(), key.size(), partition_count, nullptr,
                                          nullptr);
}

handle_ptr make_admin_client(properties props) {
  // A consumer-type handle: its metadata requests never auto-create topics.
  props.erase("group.id");
  return make_consumer(props);
}

} // namespace k2k::kafka
