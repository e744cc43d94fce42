#include "bench/mm2/raw_copy.hpp"

#include "bench/mm2/workload.hpp"
#include "config/config.hpp"
#include "core/decimal.hpp"
#include "kafka/client.hpp"

#include <set>
#include <stdexcept>
#include <utility>

namespace k2k::bench::mm2 {

namespace {

// k2k's default header names, values formatted as k2k does.
kafka::headers_ptr tracing_headers(const rd_kafka_message_t& m) {
  static const config::tracing_header_names names;
  kafka::headers_ptr h{rd_kafka_headers_new(5)};
  auto add = [&](const std::string& name, std::string_view value) {
    rd_kafka_header_add(h.get(), name.data(), static_cast<ssize_t>(name.size()), value.data(),
                        static_cast<ssize_t>(value.size()));
  };
  add(names.topic, rd_kafka_topic_name(m.rkt));
  add(names.partition, core::format_decimal(m.partition).view());
  add(names.offset, core::format_decimal(m.offset).view());
  add(names.timestamp, core::format_decimal(rd_kafka_message_timestamp(&m, nullptr)).view());
  add(names.pipeline, "sbs-raw");
  return h;
}

} // namespace

uint64_t raw_copy(const std::string& source, const std::string& target, bool headers) {
  auto consumer =
      kafka::make_consumer({{"bootstrap.servers", source},
                            {"group.id", "sbs-raw-copy"},
                            {"enable.auto.commit", "false"},
                            {"enable.partition.eof", "true"},
                            {"isolation.level", "read_committed"},
                            {"queued.min.messages", kafka::backlog_queued_min_messages}});
  auto producer = kafka::make_producer(
      {{"bootstrap.servers", target}, {"enable.idempotence", "true"}, {"linger.ms", "5"}},
      count_failed_deliveries, nullptr);
  kafka::topic_partition_list_ptr assignment{rd_kafka_topic_partition_list_new(24)};
  std::set<std::pair<std::string, int32_t>> reading;
  for (const auto& t : topics())
    for (int32_t p = 0; p < t.partitions; ++p) {
      rd_kafka_topic_partition_list_add(assignment.get(), t.name.c_str(), p)->offset =
          RD_KAFKA_OFFSET_BEGINNING;
      reading.emplace(t.name, p);
    }
  if (auto err = rd_kafka_assign(consumer.get(), assignment.get()))
    throw std::runtime_error(std::string{"assign: "} + rd_kafka_err2str(err));
  uint64_t copied = 0;
  // The source does not grow meanwhile: a partition's first end-of-partition is its end.
  while (!reading.empty()) {
    kafka::message_ptr m{rd_kafka_consumer_poll(consumer.get(), 100)};
    rd_kafka_poll(producer.get(), 0);
    if (!m)
      continue;
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      reading.erase({rd_kafka_topic_name(m->rkt), m->partition});
      continue;
    }
    if (m->err)
      throw std::runtime_error(std::string{"source: "} + rd_kafka_message_errstr(m.get()));
    for (;;) {
      auto h = headers ? tracing_headers(*m) : nullptr;
      auto err = rd_kafka_producev(
          producer.get(), RD_KAFKA_V_TOPIC(rd_kafka_topic_name(m->rkt)),
          RD_KAFKA_V_PARTITION(m->partition), RD_KAFKA_V_KEY(m->key, m->key_len),
          RD_KAFKA_V_VALUE(m->payload, m->len), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
          RD_KAFKA_V_HEADERS(h.get()), RD_KAFKA_V_END);
      if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        if (err)
          throw std::runtime_error(std::string{"target: "} + rd_kafka_err2str(err));
        (void)h.release(); // the produced record owns them now
        break;
      }
      rd_kafka_poll(producer.get(), 10);
    }
    ++copied;
  }
  flush_all(producer.get());
  return copied;
}

} // namespace k2k::bench::mm2
