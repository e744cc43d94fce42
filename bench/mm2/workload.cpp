#include "bench/mm2/workload.hpp"

#include "kafka/admin.hpp"
#include "kafka/client.hpp"
#include "kafka/partition_reader.hpp"
#include "support/many_groups.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <stdexcept>

namespace k2k::bench::mm2 {

using namespace std::chrono_literals;

namespace {
std::atomic<uint64_t> failed_deliveries{0};
} // namespace

void count_failed_deliveries(rd_kafka_t*, const rd_kafka_message_t* m, void*) {
  if (m->err)
    ++failed_deliveries;
}

void flush_all(rd_kafka_t* producer) {
  if (rd_kafka_flush(producer, 120000) != RD_KAFKA_RESP_ERR_NO_ERROR)
    throw std::runtime_error("records not delivered within 120 s");
  if (failed_deliveries)
    throw std::runtime_error(std::to_string(failed_deliveries.load()) + " records not delivered");
}

namespace {

// Near each partition's end of sbs.small: its last records before the transactions, then
// a committed one, an aborted one, and this many plain records after them.
constexpr int64_t plain_after = 200;

void produce(rd_kafka_t* producer, const topic_spec& t, int32_t partition, char tag, int64_t from,
             int64_t until) {
  for (int64_t seq = from; seq < until; ++seq) {
    auto value = record_value(tag, partition, seq, t.value_bytes);
    for (;;) {
      auto err = rd_kafka_producev(producer, RD_KAFKA_V_TOPIC(t.name.c_str()),
                                   RD_KAFKA_V_PARTITION(partition),
                                   RD_KAFKA_V_VALUE(value.data(), value.size()),
                                   RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
      if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        if (err)
          throw std::runtime_error("producing to " + t.name + ": " + rd_kafka_err2str(err));
        break;
      }
      rd_kafka_poll(producer, 10); // the local queue is full: serve delivery reports
    }
  }
}

void check(rd_kafka_error_t* error, const char* what) {
  if (!error)
    return;
  std::string message = std::string{what} + ": " + rd_kafka_error_string(error);
  rd_kafka_error_destroy(error);
  throw std::runtime_error(message);
}

void create_topics(const std::string& bootstrap) {
  auto admin = kafka::make_admin_client({{"bootstrap.servers", bootstrap}});
  for (const auto& t : topics())
    if (auto failed = kafka::create_topic(admin.get(), {t.name, t.partitions, -1, {}}, 30s))
      throw std::runtime_error("creating " + t.name + ": " + failed->message);
}

kafka::properties producer_properties(const std::string& bootstrap) {
  return {{"bootstrap.servers", bootstrap},
          {"enable.idempotence", "true"},
          {"linger.ms", "20"},
          {"batch.size", "1000000"}};
}

} // namespace

const std::vector<topic_spec>& topics() {
  static const std::vector<topic_spec> all{{"sbs.small", 's', 12, 110000, 100, true},
                                           {"sbs.large", 'l', 12, 5000, 1024, false}};
  return all;
}

const topic_spec& small_topic() {
  return topics().front();
}

std::vector<kafka::topic_partition> small_partitions() {
  std::vector<kafka::topic_partition> out;
  for (int32_t p = 0; p < small_topic().partitions; ++p)
    out.emplace_back(small_topic().name, p);
  return out;
}

const std::vector<lag_group>& lag_groups() {
  // 150 is inside each partition's aborted transaction (its 100 records, then its marker,
  // then plain_after records).
  static const std::vector<lag_group> all{{"sbs-lag-0", 0},           {"sbs-lag-10", 10},
                                          {"sbs-lag-150", 150},       {"sbs-lag-1000", 1000},
                                          {"sbs-lag-100000", 100000}, {"sbs-log-start", -1}};
  return all;
}

std::string record_value(char tag, int32_t partition, int64_t seq, size_t bytes) {
  std::string v;
  v += tag;
  v += '|';
  v += std::to_string(partition);
  v += '|';
  v += std::to_string(seq);
  v += '|';
  if (v.size() < bytes)
    v.append(bytes - v.size(), '.');
  return v;
}

std::optional<record_id> parse_value(std::string_view value) {
  if (value.size() < 6 || value[1] != '|')
    return std::nullopt;
  record_id id;
  id.tag = value[0];
  auto rest = value.substr(2);
  auto bar = rest.find('|');
  if (bar == std::string_view::npos ||
      std::from_chars(rest.data(), rest.data() + bar, id.partition).ec != std::errc{})
    return std::nullopt;
  rest = rest.substr(bar + 1);
  bar = rest.find('|');
  if (bar == std::string_view::npos ||
      std::from_chars(rest.data(), rest.data() + bar, id.seq).ec != std::errc{})
    return std::nullopt;
  return id;
}

int64_t prior_records(int32_t partition) {
  return 1000 + 97 * partition;
}

void prepare_source(const std::string& bootstrap) {
  create_topics(bootstrap);
  auto plain =
      kafka::make_producer(producer_properties(bootstrap), count_failed_deliveries, nullptr);
  for (const auto& t : topics()) {
    auto before = t.transactions ? t.records - transaction_records - plain_after : t.records;
    for (int32_t p = 0; p < t.partitions; ++p)
      produce(plain.get(), t, p, t.tag, 0, before);
  }
  flush_all(plain.get());

  auto properties = producer_properties(bootstrap);
  properties["transactional.id"] = "sbs-bench-workload";
  auto transactional = kafka::make_producer(properties, count_failed_deliveries, nullptr);
  check(rd_kafka_init_transactions(transactional.get(), 60000), "init_transactions");
  for (const auto& t : topics()) {
    if (!t.transactions)
      continue;
    auto first = t.records - transaction_records - plain_after;
    check(rd_kafka_begin_transaction(transactional.get()), "begin_transaction");
    for (int32_t p = 0; p < t.partitions; ++p)
      produce(transactional.get(), t, p, t.tag, first, first + transaction_records);
    check(rd_kafka_commit_transaction(transactional.get(), 60000), "commit_transaction");
    check(rd_kafka_begin_transaction(transactional.get()), "begin_transaction");
    for (int32_t p = 0; p < t.partitions; ++p)
      produce(transactional.get(), t, p, aborted_tag, 0, transaction_records);
    // On the log before the abort: an abort purges what is still queued, and those records
    // would never be written at all.
    flush_all(transactional.get());
    check(rd_kafka_abort_transaction(transactional.get(), 60000), "abort_transaction");
    for (int32_t p = 0; p < t.partitions; ++p)
      produce(plain.get(), t, p, t.tag, first + transaction_records, t.records);
  }
  flush_all(plain.get());
  for (const auto& g : lag_groups())
    commit_group(bootstrap, g.name, [&](int64_t end) { return g.lag < 0 ? 0 : end - g.lag; });
}

void prepare_target(const std::string& bootstrap) {
  create_topics(bootstrap);
  auto producer =
      kafka::make_producer(producer_properties(bootstrap), count_failed_deliveries, nullptr);
  for (const auto& t : topics())
    for (int32_t p = 0; p < t.partitions; ++p) {
      // Not a workload value: parse_value() rejects it.
      std::string prior(t.value_bytes, 'p');
      for (int64_t i = 0; i < prior_records(p); ++i)
        rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC(t.name.c_str()), RD_KAFKA_V_PARTITION(p),
                          RD_KAFKA_V_VALUE(prior.data(), prior.size()),
                          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
    }
  flush_all(producer.get());
}

std::map<kafka::topic_partition, kafka::committed_offset>
positions(const std::string& bootstrap, const std::function<int64_t(int64_t end)>& position) {
  const auto& t = small_topic();
  auto reader = kafka::make_partition_reader({{"bootstrap.servers", bootstrap}});
  std::map<kafka::topic_partition, kafka::committed_offset> out;
  for (int32_t p = 0; p < t.partitions; ++p) {
    auto end = kafka::watermarks(reader.get(), t.name, p).value_or_throw().second;
    out[{t.name, p}] = {std::clamp<int64_t>(position(end), 0, end), ""};
  }
  return out;
}

void commit_group(const std::string& bootstrap, const std::string& group,
                  const std::function<int64_t(int64_t end)>& position) {
  kafka::group_offsets_helper helper{{{"bootstrap.servers", bootstrap}},
                                     kafka::find_group_offsets_helper().value_or_throw()};
  test::commit_until_taken(helper, group, positions(bootstrap, position));
}

int64_t read_to_end(rd_kafka_t* reader, const std::string& topic, int32_t partition,
                    const std::function<void(int64_t offset, std::string_view value)>& on_record) {
  auto end = kafka::watermarks(reader, topic, partition).value_or_throw().second;
  bool complete = kafka::scan_partition(
      reader, topic, partition, 0, end,
      [&](const rd_kafka_message_t& m) {
        on_record(m.offset, std::string_view{static_cast<const char*>(m.payload), m.len});
      },
      120s);
  if (!complete)
    throw std::runtime_error("cannot read " + kafka::describe(topic, partition) + " to its end " +
                             std::to_string(end) + " within 120 s");
  return end;
}

uint64_t source_records(const std::string& bootstrap) {
  auto reader = kafka::make_partition_reader({{"bootstrap.servers", bootstrap},
                                              {"group.id", "sbs-count"},
                                              {"enable.partition.eof", "true"}});
  uint64_t n = 0;
  for (const auto& t : topics())
    for (int32_t p = 0; p < t.partitions; ++p)
      read_to_end(reader.get(), t.name, p, [&](int64_t, std::string_view) { ++n; });
  return n;
}

std::vector<int64_t> append_records(const std::string& bootstrap, int64_t per_partition) {
  const auto& t = small_topic();
  auto reader = kafka::make_partition_reader({{"bootstrap.servers", bootstrap}});
  auto producer =
      kafka::make_producer(producer_properties(bootstrap), count_failed_deliveries, nullptr);
  for (int32_t p = 0; p < t.partitions; ++p) {
    auto end = kafka::watermarks(reader.get(), t.name, p).value_or_throw().second;
    produce(producer.get(), t, p, t.tag, end, end + per_partition);
  }
  flush_all(producer.get());
  std::vector<int64_t> ends;
  for (int32_t p = 0; p < t.partitions; ++p)
    ends.push_back(kafka::watermarks(reader.get(), t.name, p).value_or_throw().second);
  return ends;
}

} // namespace k2k::bench::mm2
