// The replicator against two mock clusters: exact copies with tracing headers,
// mappings that resolve each source offset to where the record really is, and no
// loss through crashes, restarts and faults.
#include "support/replication_fixture.hpp"

#include "core/decimal.hpp"
#include "core/mapping_record.hpp"
#include "core/translation.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <thread>

using namespace k2k;
using namespace k2k::test;

namespace {

const std::string mapping_topic = "__k2k_offset_mappings";
constexpr int mapping_partitions = 4;

// Source topic "orders" with one partition, replicated exactly-once with its mappings on one
// mapping partition.
config::pipeline_config exactly_once_one_partition(two_clusters& c,
                                                   const std::string& replicator_settings = "") {
  create_on_both(c, "orders", 1);
  c.target.create_topic(mapping_topic, 1);
  return pipeline(c, "[orders]",
                  "features: {exactlyOnce: enabled}\noffsetMapping: {partitions: 1}\n",
                  replicator_settings);
}

// From now on every answer of the target takes `ms`.
void slow_target(two_clusters& c, int ms) {
  for (int32_t b = 1; b <= c.target.broker_count(); ++b)
    c.target.set_rtt(b, ms);
}

// One partition's first 30 records committed; then every answer of the target takes `ms`
// and the next 30 are sent: they are in flight when this returns.
void next_batch_in_flight_to_a_slow_target(two_clusters& c, const running_worker& worker, int ms) {
  produce(c.source.bootstrap_servers(), "orders", 0, numbered_records(30));
  REQUIRE(worker.wait_for_status([](const auto& s) { return s.records == 30; }));
  slow_target(c, ms);
  produce(c.source.bootstrap_servers(), "orders", 0, numbered_records(30, 30));
  REQUIRE(worker.wait_for_status([](const auto& s) { return s.in_flight > 0; }));
}

// Every source offset < n appears on the target partition (as k2k_offset) at the
// target offset the mappings give for it; returns how many target records carry it.
std::map<int64_t, int> check_mapped_partition(const two_clusters& c, const mapping_view& view,
                                              const std::string& topic, int32_t p, int64_t n) {
  auto key = topic + "/" + std::to_string(p);
  REQUIRE(view.count(key));
  const auto& index = view.at(key);
  auto end = high_watermark(c.target.bootstrap_servers(), topic, p);
  auto records = consume(c.target.bootstrap_servers(), topic, p, 0, end);
  REQUIRE(static_cast<int64_t>(records.size()) == end);
  std::map<int64_t, int> copies;
  for (const auto& r : records)
    if (auto off = header(r, "k2k_offset"))
      ++copies[*core::parse_decimal(*off)];
  for (int64_t s = 0; s < n; ++s) {
    INFO(key << " source offset " << s);
    REQUIRE(copies.count(s));
    auto t = index.target_of(core::source_offset{s});
    REQUIRE(t);
    REQUIRE(header(records[static_cast<size_t>(t->value)], "k2k_offset") == std::to_string(s));
  }
  return copies;
}

} // namespace

TEST_CASE("records are copied partition for partition with tracing headers and exact mappings",
          "[replicator]") {
  two_clusters c;
  create_on_both(c, "orders", 3);
  create_on_both(c, "payments", 2);
  c.target.create_topic(mapping_topic, mapping_partitions);
  // Unrelated records already on target so offsets diverge.
  produce(c.target.bootstrap_servers(), "orders", 0, numbered_records(7, 1000));
  produce(c.target.bootstrap_servers(), "payments", 1, numbered_records(5, 1000));

  const std::map<std::pair<std::string, int32_t>, int> counts{
      {{"orders", 0}, 40}, {{"orders", 1}, 25}, {{"payments", 0}, 10}, {{"payments", 1}, 30}};
  std::map<std::pair<std::string, int32_t>, std::vector<test_record>> sent;
  for (const auto& [tp, n] : counts) {
    auto records = numbered_records(n);
    for (size_t i = 0; i < records.size(); ++i) {
      records[i].timestamp = 1'700'000'000'000 + static_cast<int64_t>(i) * 1000;
      records[i].headers.emplace_back("trace-id", "t" + std::to_string(i));
    }
    produce(c.source.bootstrap_servers(), tp.first, tp.second, records);
    sent[tp] = records;
  }

  running_worker worker{pipeline(c, "[orders, payments]")};
  auto view = read_mappings(
      c.target.bootstrap_servers(), mapping_topic, mapping_partitions,
      covers({{"orders/0", 40}, {"orders/1", 25}, {"payments/0", 10}, {"payments/1", 30}}));
  worker.stop();
  REQUIRE_FALSE(worker.result());

  for (const auto& [tp, records] : sent) {
    const auto& [topic, p] = tp;
    int64_t prior = topic == "orders" && p == 0 ? 7 : topic == "payments" && p == 1 ? 5 : 0;
    auto got = consume(c.target.bootstrap_servers(), topic, p, prior,
                       prior + static_cast<int64_t>(records.size()));
    REQUIRE(got.size() == records.size());
    const auto& index = view.at(topic + "/" + std::to_string(p));
    for (size_t i = 0; i < got.size(); ++i) {
      INFO(topic << "[" << p << "] record " << i);
      CHECK(got[i].key == records[i].key);
      CHECK(got[i].value == records[i].value);
      CHECK(got[i].timestamp == records[i].timestamp);
      std::vector<std::pair<std::string, std::string>> expected_headers = records[i].headers;
      expected_headers.emplace_back("k2k_topic", topic);
      expected_headers.emplace_back("k2k_partition", std::to_string(p));
      expected_headers.emplace_back("k2k_offset", std::to_string(i));
      expected_headers.emplace_back("k2k_timestamp", std::to_string(records[i].timestamp));
      expected_headers.emplace_back("k2k_pipeline", "test-pipeline");
      CHECK(got[i].headers == expected_headers);
      auto t = index.target_of(core::source_offset{static_cast<int64_t>(i)});
      REQUIRE(t);
      CHECK(t->value == got[i].offset);
    }
  }
  // Nothing was written to the partition that had no source records.
  CHECK(high_watermark(c.target.bootstrap_servers(), "orders", 2) == 0);
  auto st = worker.status();
  CHECK(st.records == 105);
  CHECK(st.state == replication::replication_status::phase::stopped);
}

TEST_CASE("tracing headers follow the switches and renamed header names", "[replicator]") {
  two_clusters c;
  create_on_both(c, "t", 1);
  c.target.create_topic(mapping_topic, mapping_partitions);
  produce(c.source.bootstrap_servers(), "t", 0, numbered_records(3));
  running_worker worker{
      pipeline(c, "[t]",
               "features:\n  tracingHeaders: {offset: enabled, timestamp: enabled}\n"
               "  keepRecordCreationTimestamp: disabled\n"
               "tracing: {headers: {offset: src_off}}\n")};
  read_mappings(c.target.bootstrap_servers(), mapping_topic, mapping_partitions,
                covers({{"t/0", 3}}));
  worker.stop();
  auto got = consume(c.target.bootstrap_servers(), "t", 0, 0, 3);
  REQUIRE(got.size() == 3);
  CHECK(header(got[2], "src_off") == "2");
  CHECK(header(got[2], "k2k_timestamp").has_value());
  CHECK_FALSE(header(got[2], "k2k_offset").has_value());
  CHECK_FALSE(header(got[2], "k2k_topic").has_value());
  CHECK_FALSE(header(got[2], "k2k_pipeline").has_value());
}

TEST_CASE("a regex subscription picks up a new matching topic while running", "[replicator]") {
  two_clusters c;
  create_on_both(c, "events.a", 1);
  create_on_both(c, "orders", 1);
  c.target.create_topic("events.b", 2);
  c.target.create_topic(mapping_topic, mapping_partitions);
  produce(c.source.bootstrap_servers(), "events.a", 0, numbered_records(5));
  produce(c.source.bootstrap_servers(), "orders", 0, numbered_records(5));

  running_worker worker{pipeline(c, R"({regex: "events\\..*"})")};
  read_mappings(c.target.bootstrap_servers(), mapping_topic, mapping_partitions,
                covers({{"events.a/0", 5}}));
  c.source.create_topic("events.b", 2);
  produce(c.source.bootstrap_servers(), "events.b", 1, numbered_records(4));
  auto view = read_mappings(c.target.bootstrap_servers(), mapping_topic, mapping_partitions,
                            covers({{"events.a/0", 5}, {"events.b/1", 4}}));
  worker.stop();
  CHECK(view.count("events.b/1"));
  CHECK(consume(c.target.bootstrap_servers(), "events.b", 1, 0, 4).size() == 4);
  CHECK(high_watermark(c.target.bootstrap_servers(), "orders", 0) == 0);
}

TEST_CASE("a target topic with fewer partitions that cannot be grown is refused with its name",
          "[replicator]") {
  two_clusters c;
  c.source.create_topic("orders", 4);
  c.target.create_topic("orders", 2);
  c.target.create_topic(mapping_topic, mapping_partitions);
  replication::replication_worker worker{pipeline(c, "[orders]")};
  auto err = worker.run();
  REQUIRE(err);
  // The mock has no CreatePartitions (real brokers: tests/real_kafka/topic_creation_test.cpp).
  CHECK_THAT(err->message,
             Catch::StartsWith("target topic orders has 2 partitions but source topic orders has "
                               "4 and cannot add partitions to orders (4 in all): ") &&
                 Catch::EndsWith("; partitions are copied p -> p, so the target needs at least 4"));
}

TEST_CASE("a missing target topic the cluster cannot create is named in the error",
          "[replicator]") {
  two_clusters c;
  c.source.create_topic("orders", 2);
  c.target.create_topic(mapping_topic, mapping_partitions);
  replication::replication_worker worker{pipeline(c, "[orders]")};
  auto err = worker.run();
  REQUIRE(err);
  // The mock answers neither DescribeConfigs nor CreateTopics: the first call that fails is
  // named.
  CHECK_THAT(err->message, Catch::StartsWith("target topic orders is missing and cannot "));
  CHECK_THAT(err->message, Catch::Contains("topic orders: "));
}

// orders (2 partitions) on both clusters, led by broker 1 on target, and the mapping topic
// led by the other brokers: taking broker 1 down stops the data, not the mappings.
void orders_led_apart_from_mappings(two_clusters& c) {
  create_on_both(c, "orders", 2);
  c.target.create_topic(mapping_topic, mapping_partitions);
  for (int32_t p = 0; p < 2; ++p)
    c.target.set_leader("orders", p, 1);
  for (int32_t p = 0; p < mapping_partitions; ++p)
    c.target.set_leader(mapping_topic, p, 2 + p % 2);
}

// Replicates `before` records per partition of orders[0..1], takes the data leader away,
// produces `after` more, crashes the worker while records are in flight, brings the leader
// back and restarts. Returns the source offset -> copies on target of each partition.
std::vector<std::map<int64_t, int>> crash_and_restart(const std::string& extra_yaml,
                                                      const std::string& replicator_settings,
                                                      int before, int after) {
  two_clusters c;
  // (librdkafka's mock cannot show a crash after data was delivered but before an exactly-once
  // commit: it never aborts a dead producer's transaction.)
  orders_led_apart_from_mappings(c);
  produce(c.target.bootstrap_servers(), "orders", 1, numbered_records(3, 900));
  for (int32_t p = 0; p < 2; ++p)
    produce(c.source.bootstrap_servers(), "orders", p, numbered_records(before));

  auto cfg = pipeline(c, "[orders]", extra_yaml, replicator_settings);
  {
    running_worker first{cfg};
    read_mappings(c.target.bootstrap_servers(), mapping_topic, mapping_partitions,
                  covers({{"orders/0", before}, {"orders/1", before}}));
    c.target.broker_down(1);
    // One produce request per partition (the flush sends what linger holds), so the worker
    // fetches them together: a first request of a single record would become a one-record
    // transaction that cannot commit with the leader down, and nothing more would go in flight.
    for (int32_t p = 0; p < 2; ++p)
      produce(c.source.bootstrap_servers(), "orders", p, numbered_records(after, before),
              {{"linger.ms", "5000"}});
    REQUIRE(first.wait_for_status([](const auto& st) { return st.in_flight >= 20; }));
    first.abort();
  }
  c.target.broker_up(1);
  auto at_crash = read_mappings(c.target.bootstrap_servers(), mapping_topic, mapping_partitions,
                                covers({{"orders/0", before}, {"orders/1", before}}));
  CHECK(at_crash["orders/0"].covered().value < before + after);

  int total = before + after;
  running_worker second{cfg};
  auto view = read_mappings(c.target.bootstrap_servers(), mapping_topic, mapping_partitions,
                            covers({{"orders/0", total}, {"orders/1", total}}));
  second.stop();
  REQUIRE_FALSE(second.result());
  std::vector<std::map<int64_t, int>> copies;
  for (int32_t p = 0; p < 2; ++p)
    copies.push_back(check_mapped_partition(c, view, "orders", p, total));
  return copies;
}

TEST_CASE("a crash mid-stream loses nothing: the restart resumes from the mapping checkpoint",
          "[replicator][restart]") {
  for (const auto& copies : crash_and_restart("", "batchSize: 50", 200, 400))
    CHECK(copies.size() == 600);
}

TEST_CASE("broker outages and injected produce errors lose nothing", "[replicator][faults]") {
  two_clusters c;
  create_on_both(c, "orders", 2);
  c.target.create_topic(mapping_topic, mapping_partitions);
  c.target.set_leader("orders", 0, 1);
  for (int32_t p = 0; p < 2; ++p)
    produce(c.source.bootstrap_servers(), "orders", p, numbered_records(100));

  running_worker worker{pipeline(c, "[orders]", "", "batchSize: 10")};
  read_mappings(c.target.bootstrap_servers(), mapping_topic, mapping_partitions,
                covers({{"orders/0", 1}}));
  // The leader of orders[0] on target goes away for a while, then comes back.
  c.target.broker_down(1);
  for (int32_t p = 0; p < 2; ++p)
    produce(c.source.bootstrap_servers(), "orders", p, numbered_records(100, 100));
  c.target.broker_up(1);
  // A non-retriable produce error fails a batch: the partition rewinds and retries.
  c.target.push_request_errors(
      kafka::api_key::produce,
      {RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS, RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED});
  for (int32_t p = 0; p < 2; ++p)
    produce(c.source.bootstrap_servers(), "orders", p, numbered_records(100, 200));
  // And the source fetches fail a few times.
  c.source.push_request_errors(kafka::api_key::fetch, {RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
                                                       RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT});
  auto view = read_mappings(c.target.bootstrap_servers(), mapping_topic, mapping_partitions,
                            covers({{"orders/0", 300}, {"orders/1", 300}}));
  auto st = worker.status();
  worker.stop();
  for (int32_t p = 0; p < 2; ++p)
    check_mapped_partition(c, view, "orders", p, 300);
  CHECK(st.delivery_errors >= 1);
  CHECK(st.rewinds >= 1);
}

TEST_CASE("backpressure: with the target down, records in flight stay within the limit",
          "[replicator][faults]") {
  two_clusters c;
  orders_led_apart_from_mappings(c);
  for (int32_t p = 0; p < 2; ++p)
    produce(c.source.bootstrap_servers(), "orders", p, numbered_records(10));
  const uint64_t limit = 100, batch = 20;
  running_worker worker{pipeline(c, "[orders]", "", "maxInFlightRecords: 100, batchSize: 20")};
  read_mappings(c.target.bootstrap_servers(), mapping_topic, mapping_partitions,
                covers({{"orders/0", 10}, {"orders/1", 10}}));
  c.target.broker_down(1);
  for (int32_t p = 0; p < 2; ++p)
    produce(c.source.bootstrap_servers(), "orders", p, numbered_records(2000, 10));
  // 4,000 records wait on source. Every status snapshot of the next 3 s (past the 1 s hold,
  // after which the source partitions are paused as well) stays within the limit plus the
  // one batch a cycle may take below it.
  uint64_t most = 0;
  worker.wait_for_status(
      [&](const auto& st) {
        most = std::max(most, st.in_flight);
        return false;
      },
      std::chrono::seconds(3));
  CHECK(most >= limit);
  CHECK(most < limit + batch);
  c.target.broker_up(1);
  auto view = read_mappings(c.target.bootstrap_servers(), mapping_topic, mapping_partitions,
                            covers({{"orders/0", 2010}, {"orders/1", 2010}}));
  worker.stop();
  for (int32_t p = 0; p < 2; ++p)
    check_mapped_partition(c, view, "orders", p, 2010);
}

TEST_CASE("backpressure, exactly-once: records waiting for their partition's commit count "
          "against the limit",
          "[replicator][exactly-once][faults]") {
  // A slow target keeps a batch committing while the source keeps giving records: they wait
  // (deferred) for the commit, and without a bound they piled up in memory, all of them.
  two_clusters c;
  const uint64_t limit = 100, batch = 20;
  running_worker worker{exactly_once_one_partition(c, "maxInFlightRecords: 100, batchSize: 20")};
  produce(c.source.bootstrap_servers(), "orders", 0, numbered_records(10));
  REQUIRE(worker.wait_for_status([](const auto& s) { return s.records == 10; }));
  slow_target(c, 300);
  produce(c.source.bootstrap_servers(), "orders", 0, numbered_records(500, 10));
  // Every status snapshot until all are committed stays within the limit plus the one batch
  // a cycle may take below it.
  uint64_t most = 0;
  REQUIRE(worker.wait_for_status(
      [&](const auto& st) {
        most = std::max(most, st.in_flight);
        return st.records == 510;
      },
      std::chrono::seconds(120)));
  worker.stop();
  CHECK(most >= limit);
  CHECK(most < limit + batch);
}

TEST_CASE("two workers share partitions, and when one stops the other takes over without loss",
          "[replicator][scaling]") {
  two_clusters c;
  create_on_both(c, "orders", 4);
  c.target.create_topic(mapping_topic, mapping_partitions);
  for (int32_t p = 0; p < 4; ++p)
    produce(c.source.bootstrap_servers(), "orders", p, numbered_records(50));
  auto cfg = pipeline(c, "[orders]");
  auto first = std::make_unique<running_worker>(cfg);
  running_worker second{cfg};
  read_mappings(c.target.bootstrap_servers(), mapping_topic, mapping_partitions,
                covers({{"orders/0", 50}, {"orders/1", 50}, {"orders/2", 50}, {"orders/3", 50}}));
  first->stop();
  auto first_status = first->status();
  first.reset();
  for (int32_t p = 0; p < 4; ++p)
    produce(c.source.bootstrap_servers(), "orders", p, numbered_records(50, 50));
  auto view = read_mappings(
      c.target.bootstrap_servers(), mapping_topic, mapping_partitions,
      covers({{"orders/0", 100}, {"orders/1", 100}, {"orders/2", 100}, {"orders/3", 100}}));
  auto second_status = second.status();
  second.stop();
  for (int32_t p = 0; p < 4; ++p) {
    auto copies = check_mapped_partition(c, view, "orders", p, 100);
    // A graceful hand-over confirms everything first: no record is copied twice.
    for (const auto& [offset, n] : copies)
      CHECK(n == 1);
  }
  CHECK(second_status.partitions.size() == 4);
  CHECK(first_status.records > 0);
}

TEST_CASE("with mappings off the replicator resumes from its own consumer group",
          "[replicator][restart]") {
  two_clusters c;
  create_on_both(c, "orders", 1);
  produce(c.source.bootstrap_servers(), "orders", 0, numbered_records(20));
  auto cfg = pipeline(c, "[orders]", "features: {offsetMapping: disabled}\n");
  {
    running_worker first{cfg};
    REQUIRE(consume(c.target.bootstrap_servers(), "orders", 0, 0, 20).size() == 20);
    // Stop only once the checkpoint is committed (graceful stop commits it).
  }
  produce(c.source.bootstrap_servers(), "orders", 0, numbered_records(5, 20));
  running_worker second{cfg};
  auto got = consume(c.target.bootstrap_servers(), "orders", 0, 20, 25);
  second.stop();
  REQUIRE(got.size() == 5);
  CHECK(header(got.front(), "k2k_offset") == "20");
  CHECK(high_watermark(c.target.bootstrap_servers(), "orders", 0) == 25); // nothing twice
}

TEST_CASE("exactly-once: a crash mid-transaction leaves no duplicate and loses nothing",
          "[replicator][exactly-once]") {
  auto copies = crash_and_restart("features: {exactlyOnce: enabled}\n", "batchSize: 40", 150, 150);
  for (size_t p = 0; p < copies.size(); ++p)
    for (const auto& [offset, n] : copies[p]) {
      INFO("orders[" << p << "] source offset " << offset);
      CHECK(n == 1);
    }
}

namespace {

// One partition of 60 source records, exactly-once, and a target whose first produce request
// succeeds and whose second fails: part of the first batch is on target when it must abort.
config::pipeline_config exactly_once_with_a_failing_batch(two_clusters& c) {
  auto cfg = exactly_once_one_partition(c);
  produce(c.source.bootstrap_servers(), "orders", 0, numbered_records(60));
  c.target.push_request_errors(
      kafka::api_key::produce,
      {RD_KAFKA_RESP_ERR_NO_ERROR, RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED});
  // Small produce requests, so a batch spans several of them.
  cfg.target.kafka.producer["batch.num.messages"] = "10";
  cfg.target.kafka.producer["linger.ms"] = "0";
  return cfg;
}

} // namespace

TEST_CASE("exactly-once: a failed batch is aborted and replayed from its first record",
          "[replicator][exactly-once]") {
  two_clusters c;
  running_worker worker{exactly_once_with_a_failing_batch(c)};
  auto view =
      read_mappings(c.target.bootstrap_servers(), mapping_topic, 1, covers({{"orders/0", 60}}));
  auto st = worker.status();
  worker.stop();
  CHECK(st.aborted_transactions >= 1);
  CHECK(check_mapped_partition(c, view, "orders", 0, 60).size() == 60);
  // librdkafka's mock keeps aborted records readable (its EndTxn ignores the abort flag);
  // real Kafka hides them from read_committed readers. Either way the mapping of every
  // source offset must point at its copy in the committed replay: the last one.
  auto end = high_watermark(c.target.bootstrap_servers(), "orders", 0);
  auto records = consume(c.target.bootstrap_servers(), "orders", 0, 0, end);
  std::map<int64_t, int64_t> last_copy;
  for (const auto& r : records)
    last_copy[*core::parse_decimal(*header(r, "k2k_offset"))] = r.offset;
  CHECK(records.size() > 60); // the replay re-sent the batch from its first record
  for (const auto& [source, target] : last_copy) {
    INFO("source offset " << source);
    CHECK(view.at("orders/0").target_of(core::source_offset{source})->value == target);
  }
}

TEST_CASE("exactly-once: an abort the coordinator refuses gets a new producer and the batch "
          "is replayed",
          "[replicator][exactly-once][faults]") {
  // Seen on real Kafka: after the target's coordinator was frozen past the transaction
  // timeout, the abort failed (INVALID_TXN_STATE) and the worker stopped with an error.
  two_clusters c;
  auto cfg = exactly_once_with_a_failing_batch(c);
  c.target.push_request_errors(kafka::api_key::end_txn, {RD_KAFKA_RESP_ERR_INVALID_TXN_STATE});
  running_worker worker{cfg};
  auto view =
      read_mappings(c.target.bootstrap_servers(), mapping_topic, 1, covers({{"orders/0", 60}}));
  worker.stop();
  CHECK_FALSE(worker.result());
  CHECK(check_mapped_partition(c, view, "orders", 0, 60).size() == 60);
}

TEST_CASE("exactly-once: a commit that outlasts its call is resumed and not aborted",
          "[replicator][exactly-once]") {
  two_clusters c;
  auto cfg = exactly_once_one_partition(c);
  cfg.replicator.shutdown_timeout = std::chrono::milliseconds{500}; // one commit call's limit
  running_worker worker{cfg};
  // (The mock shows transactional records before their commit: wait for the worker's own
  // count of committed records.)
  produce(c.source.bootstrap_servers(), "orders", 0, numbered_records(30));
  REQUIRE(worker.wait_for_status([](const auto& s) { return s.records == 30; }));
  // Connections are warm now. The coordinator answers EndTxn "loading" for longer than one
  // commit call may block: the call returns a retriable timeout while librdkafka keeps
  // retrying in the background.
  c.target.push_request_errors(
      kafka::api_key::end_txn,
      std::vector<rd_kafka_resp_err_t>(12, RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS));
  produce(c.source.bootstrap_servers(), "orders", 0, numbered_records(30, 30));
  REQUIRE(worker.wait_for_status([](const auto& s) { return s.records == 60; }));
  auto view =
      read_mappings(c.target.bootstrap_servers(), mapping_topic, 1, covers({{"orders/0", 60}}));
  auto st = worker.status();
  worker.stop();
  CHECK(st.aborted_transactions == 0);
  CHECK(check_mapped_partition(c, view, "orders", 0, 60).size() == 60);
  CHECK(high_watermark(c.target.bootstrap_servers(), "orders", 0) == 60); // nothing twice
}

TEST_CASE("exactly-once: records that wait while their partition's batch commits are not "
          "claimed by its mapping",
          "[replicator][exactly-once]") {
  // Found on real brokers (the zombie test): a batch sealed by its age commits once its
  // reports are in; records fetched meanwhile wait for the next batch. Its mapping said the
  // source was copied up to the consumer's position, past the waiting records: a worker that
  // died before the next commit left its successor resuming after records never copied.
  two_clusters c;
  auto cfg = exactly_once_one_partition(c);
  running_worker worker{cfg};
  // Every answer of the target takes a second: the next batch is in flight for longer than a
  // batch may stay open (100 ms), so it is sealed, and records that come then wait.
  next_batch_in_flight_to_a_slow_target(c, worker, 1000);
  std::this_thread::sleep_for(std::chrono::milliseconds(300)); // the open batch's age passes
  produce(c.source.bootstrap_servers(), "orders", 0, numbered_records(30, 60));
  REQUIRE(worker.wait_for_status([](const auto& s) { return s.records == 90; },
                                 std::chrono::seconds(60)));
  worker.stop();
  auto mappings = consume(c.target.bootstrap_servers(), mapping_topic, 0, 0,
                          high_watermark(c.target.bootstrap_servers(), mapping_topic, 0));
  REQUIRE(mappings.size() >= 3); // the first batch, the sealed one, the waiting records'
  int64_t next = 0;
  for (const auto& m : mappings) {
    auto rec = core::decode_mapping(m.value);
    REQUIRE(rec);
    // The source has no markers and nothing compacted: each mapping ends at its last record,
    // and the next one starts there.
    CHECK(rec->runs.front().source_start.value == next);
    CHECK(rec->source_next == rec->runs.back().source_end());
    next = rec->source_next.value;
  }
  CHECK(next == 90);
}

TEST_CASE("exactly-once: a graceful stop while the target does not answer leaves the open "
          "transaction to the partition's next owner",
          "[replicator][exactly-once][faults]") {
  // Found on real brokers (the reliability suite): a SIGTERM while the target was frozen
  // waited the shutdown timeout for the batch, then as long again for an abort that could not
  // reach the coordinator, and stopped with an error.
  two_clusters c;
  auto cfg = exactly_once_one_partition(c);
  cfg.replicator.shutdown_timeout = std::chrono::milliseconds{1000};
  {
    running_worker worker{cfg};
    // Every answer of the target takes 4 s: the next batch's transaction is open on the
    // coordinator and its records in flight when the stop comes.
    next_batch_in_flight_to_a_slow_target(c, worker, 4000);
    worker.stop();
    // Stopped as asked: nothing of the open batch became visible, nothing is lost.
    CHECK_FALSE(worker.result());
  }
  slow_target(c, 0);
  running_worker next_owner{cfg}; // resumes at the last committed mapping
  auto view =
      read_mappings(c.target.bootstrap_servers(), mapping_topic, 1, covers({{"orders/0", 60}}));
  next_owner.stop();
  CHECK(check_mapped_partition(c, view, "orders", 0, 60).size() == 60);
}

TEST_CASE("another writer interleaving on the target partition leaves the mappings exact",
          "[replicator]") {
  two_clusters c;
  create_on_both(c, "orders", 1);
  c.target.create_topic(mapping_topic, mapping_partitions);
  running_worker worker{pipeline(c, "[orders]", "", "batchSize: 7")};
  // Source waves and foreign target writes alternate, so the target offsets of the
  // replicated records have gaps the mappings must describe.
  for (int wave = 0; wave < 10; ++wave) {
    produce(c.source.bootstrap_servers(), "orders", 0, numbered_records(20, wave * 20));
    read_mappings(c.target.bootstrap_servers(), mapping_topic, mapping_partitions,
                  covers({{"orders/0", (wave + 1) * 20}}));
    produce(c.target.bootstrap_servers(), "orders", 0, numbered_records(3, 1000 + wave * 3));
  }
  auto view = read_mappings(c.target.bootstrap_servers(), mapping_topic, mapping_partitions,
                            covers({{"orders/0", 200}}));
  worker.stop();
  check_mapped_partition(c, view, "orders", 0, 200);
  CHECK(view.at("orders/0").run_count() >= 10); // one run per stretch between foreign writes
  CHECK(high_watermark(c.target.bootstrap_servers(), "orders", 0) == 230);
}

TEST_CASE("a source topic that disappears while running: the others keep replicating",
          "[replicator][bad-input]") {
  two_clusters c;
  create_on_both(c, "orders", 1);
  create_on_both(c, "payments", 1);
  c.target.create_topic(mapping_topic, mapping_partitions);
  produce(c.source.bootstrap_servers(), "orders", 0, numbered_records(10));
  produce(c.source.bootstrap_servers(), "payments", 0, numbered_records(10));
  running_worker worker{pipeline(c, "[orders, payments]")};
  read_mappings(c.target.bootstrap_servers(), mapping_topic, mapping_partitions,
                covers({{"orders/0", 10}, {"payments/0", 10}}));

  // payments is gone from the source cluster's metadata (the mock cannot delete topics)
  c.source.set_topic_error("payments", RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART);
  produce(c.source.bootstrap_servers(), "orders", 0, numbered_records(15, 10));
  auto view = read_mappings(c.target.bootstrap_servers(), mapping_topic, mapping_partitions,
                            covers({{"orders/0", 25}}));
  CHECK(view.at("orders/0").covered().value == 25);
  CHECK(worker.status().state == replication::replication_status::phase::running);
  worker.stop();
  REQUIRE_FALSE(worker.result());
  CHECK(consume(c.target.bootstrap_servers(), "orders", 0, 0, 25).size() == 25);
}
