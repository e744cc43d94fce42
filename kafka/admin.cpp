#include "kafka/admin.hpp"

#include "kafka/client.hpp"

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

std::optional<error_info> create_topic(rd_kafka_t* rk, const new_topic& topic,
                                       std::chrono::milliseconds timeout) {
  char err[512];
  rd_kafka_NewTopic_t* nt = rd_kafka_NewTopic_new(topic.name.c_str(), topic.partitions,
                                                  topic.replication_factor, err, sizeof err);
  if (!nt)
    return error_info{ec::kafka_error, "cannot create topic " + topic.name + ": " + err};
  for (const auto& [key, value] : topic.configs)
    rd_kafka_NewTopic_set_config(nt, key.c_str(), value.c_str());
  queue_ptr queue{rd_kafka_queue_new(rk)};
  rd_kafka_AdminOptions_t* options = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS);
  rd_kafka_AdminOptions_set_operation_timeout(options, ms(timeout), err, sizeof err);
  rd_kafka_AdminOptions_set_request_timeout(options, ms(timeout), err, sizeof err);
  rd_kafka_CreateTopics(rk, &nt, 1, options, queue.get());
  rd_kafka_AdminOptions_destroy(options);
  rd_kafka_NewTopic_destroy(nt);

  event_ptr ev{rd_kafka_queue_poll(queue.get(), ms(timeout) + 5000)};
  if (!ev)
    return error_info{ec::kafka_error, "cannot create topic " + topic.name + ": no answer"};
  if (auto e = rd_kafka_event_error(ev.get()))
    return error_info{
        e == RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE ? ec::not_supported : ec::kafka_error,
        "cannot create topic " + topic.name + ": " + rd_kafka_event_error_string(ev.get())};
  const auto* res = rd_kafka_event_CreateTopics_result(ev.get());
  size_t n = 0;
  const auto** topics = rd_kafka_CreateTopics_result_topics(res, &n);
  for (size_t i = 0; i < n; ++i) {
    auto e = rd_kafka_topic_result_error(topics[i]);
    if (e && e != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)
      return error_info{ec::kafka_error, "cannot create topic " + topic.name + ": " +
                                             rd_kafka_topic_result_error_string(topics[i])};
  }
  return std::nullopt;
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
