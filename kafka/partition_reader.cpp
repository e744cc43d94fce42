#include "kafka/partition_reader.hpp"

#include "kafka/client.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>

namespace k2k::kafka {

bool scan_partition(rd_kafka_t* reader, const std::string& topic, int32_t partition, int64_t from,
                    int64_t until, const std::function<void(const rd_kafka_message_t&)>& on_record,
                    std::chrono::milliseconds deadline) {
  if (from >= until)
    return true;
  topic_partition_list_ptr list{rd_kafka_topic_partition_list_new(1)};
  rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), partition)->offset = from;
  rd_kafka_assign(reader, list.get());
  auto end = std::chrono::steady_clock::now() + deadline;
  bool done = false;
  while (!done && std::chrono::steady_clock::now() < end) {
    message_ptr m{rd_kafka_consumer_poll(reader, 100)};
    if (!m)
      continue;
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      done = true;
      break;
    }
    if (m->err) {
      spdlog::warn("reading {}: {}", describe(topic, partition), rd_kafka_message_errstr(m.get()));
      continue;
    }
    if (m->offset < until)
      on_record(*m);
    done = m->offset + 1 >= until;
  }
  rd_kafka_assign(reader, nullptr);
  return done;
}

std::pair<int64_t, int64_t> watermarks(rd_kafka_t* rk, const std::string& topic,
                                       int32_t partition) {
  int64_t low = 0, high = 0;
  if (auto e = rd_kafka_query_watermark_offsets(rk, topic.c_str(), partition, &low, &high, 10000))
    throw std::runtime_error("cannot read the watermarks of " + describe(topic, partition) + ": " +
                             rd_kafka_err2str(e));
  return {low, high};
}

} // namespace k2k::kafka
