#include "support/kafka_test_util.hpp"

#include "kafka/client.hpp"
#include "kafka/partition_reader.hpp"

#include <stdexcept>

namespace k2k::test {

namespace {

struct delivery_tally {
  std::vector<int64_t> offsets;
  std::string first_error;
};

void on_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
  auto* tally = static_cast<delivery_tally*>(opaque);
  if (m->err && tally->first_error.empty())
    tally->first_error = rd_kafka_err2str(m->err);
  if (!m->err)
    tally->offsets.push_back(m->offset);
}

} // namespace

void create_on_both(two_clusters& c, const std::string& topic, int partitions) {
  c.source.create_topic(topic, partitions);
  c.target.create_topic(topic, partitions);
}

std::vector<int64_t> produce(const std::string& bootstrap, const std::string& topic,
                             int32_t partition, const std::vector<test_record>& records,
                             kafka::properties extra) {
  extra["bootstrap.servers"] = bootstrap;
  delivery_tally tally;
  auto rk = kafka::make_producer(extra, on_delivery, &tally);
  for (const auto& r : records) {
    rd_kafka_headers_t* headers = rd_kafka_headers_new(r.headers.size());
    for (const auto& [name, value] : r.headers)
      rd_kafka_header_add(headers, name.data(), static_cast<ssize_t>(name.size()), value.data(),
                          static_cast<ssize_t>(value.size()));
    auto e = rd_kafka_producev(
        rk.get(), RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(partition),
        RD_KAFKA_V_KEY(r.key.data(), r.key.size()),
        RD_KAFKA_V_VALUE(const_cast<char*>(r.value.data()), r.value.size()),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_TIMESTAMP(r.timestamp),
        RD_KAFKA_V_HEADERS(headers), RD_KAFKA_V_END);
    if (e) {
      rd_kafka_headers_destroy(headers);
      throw std::runtime_error(std::string{"produce: "} + rd_kafka_err2str(e));
    }
  }
  if (auto e = rd_kafka_flush(rk.get(), 30000))
    throw std::runtime_error(std::string{"flush: "} + rd_kafka_err2str(e));
  if (!tally.first_error.empty())
    throw std::runtime_error("delivery failed: " + tally.first_error);
  return tally.offsets;
}

std::vector<test_record> consume(const std::string& bootstrap, const std::string& topic,
                                 int32_t partition, int64_t from, int64_t until,
                                 std::chrono::milliseconds deadline) {
  std::vector<test_record> out;
  auto rk = kafka::make_consumer({{"bootstrap.servers", bootstrap},
                                  {"group.id", "k2k-test-reader"},
                                  {"enable.auto.commit", "false"}});
  kafka::scan_partition(
      rk.get(), topic, partition, from, until,
      [&](const rd_kafka_message_t& m) {
        test_record r;
        r.key.assign(static_cast<const char*>(m.key), m.key_len);
        r.value.assign(static_cast<const char*>(m.payload), m.len);
        r.offset = m.offset;
        r.timestamp = rd_kafka_message_timestamp(&m, nullptr);
        rd_kafka_headers_t* headers = nullptr;
        if (!rd_kafka_message_headers(&m, &headers)) {
          const char* name;
          const void* value;
          size_t size;
          for (size_t i = 0; !rd_kafka_header_get_all(headers, i, &name, &value, &size); ++i)
            r.headers.emplace_back(name, std::string(static_cast<const char*>(value), size));
        }
        out.push_back(std::move(r));
      },
      deadline);
  return out;
}

int64_t high_watermark(const std::string& bootstrap, const std::string& topic, int32_t partition) {
  auto rk = kafka::make_consumer({{"bootstrap.servers", bootstrap}, {"group.id", "k2k-test-wm"}});
  return kafka::watermarks(rk.get(), topic, partition).value_or_throw().second;
}
kafka::handle_ptr live_member(const std::string& bootstrap, const std::string& group,
                              const std::string& topic, kafka::properties extra) {
  extra["bootstrap.servers"] = bootstrap;
  extra["group.id"] = group;
  extra["auto.offset.reset"] = "earliest";
  auto member = kafka::make_consumer(extra);
  kafka::topic_partition_list_ptr topics{rd_kafka_topic_partition_list_new(1)};
  rd_kafka_topic_partition_list_add(topics.get(), topic.c_str(), RD_KAFKA_PARTITION_UA);
  rd_kafka_subscribe(member.get(), topics.get());
  kafka::message_ptr m;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while ((!m || m->err) && std::chrono::steady_clock::now() < deadline)
    m.reset(rd_kafka_consumer_poll(member.get(), 200));
  if (!m || m->err)
    throw std::runtime_error("group member of " + group + " consumed nothing");
  return member;
}

std::vector<test_record> numbered_records(int n, int first) {
  std::vector<test_record> out;
  for (int i = first; i < first + n; ++i)
    out.push_back({"k" + std::to_string(i), "v" + std::to_string(i), {{"h", std::to_string(i)}}});
  return out;
}

} // namespace k2k::test
