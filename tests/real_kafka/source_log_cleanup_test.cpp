// On a real broker: source offsets that the log cleaner removed. A compacted source topic has
// holes where superseded records were; its target topic is created compacted and every
// position translates exactly. Records that retention deleted before they were replicated
// are logged and counted, and groups committed among them land on the next copied record.
// The mock can neither compact nor expire records.
#include "kafka/partition_reader.hpp"
#include "support/real_kafka.hpp"
#include "support/replication_fixture.hpp"

#include <catch2/catch.hpp>

#include <thread>

using namespace k2k;
using namespace k2k::test;
using namespace std::chrono_literals;

namespace {

// Records "k<i % keys>" = "v<i>" for i in [first, first + n), with timestamp `ts` (0: now).
std::vector<test_record> keyed_records(int first, int n, int keys, int64_t ts = 0) {
  std::vector<test_record> out;
  for (int i = first; i < first + n; ++i)
    out.push_back({"k" + std::to_string(i % keys), "v" + std::to_string(i), {}, ts});
  return out;
}

// A segment rolls at the first append once it is segment.ms old: wait past that, so the
// next batch starts a new segment (the broker's clock rule, nothing to synchronise with).
void let_segment_age() {
  std::this_thread::sleep_for(300ms);
}

int64_t log_start(const std::string& bootstrap, const std::string& topic) {
  auto reader = kafka::make_partition_reader({{"bootstrap.servers", bootstrap}, {"group.id", "x"}});
  return kafka::watermarks(reader.get(), topic, 0).value_or_throw().first;
}

} // namespace

TEST_CASE("a compacted source topic: the target topic is created compacted and every position "
          "translates exactly",
          "[kafka][compaction][offset-mapping]") {
  const auto source = real_cluster("source"), target = real_cluster("target");
  auto topic = unique_name("compacted");
  create_real_topic(source, topic, 1,
                    {{"cleanup.policy", "compact"},
                     {"segment.ms", "100"},
                     {"min.cleanable.dirty.ratio", "0.01"},
                     {"min.compaction.lag.ms", "0"}});
  // Four segments of 30 records over 10 keys, then a fifth, active one.
  for (int round = 0; round < 4; ++round) {
    produce(source, topic, 0, keyed_records(round * 30, 30, 10));
    let_segment_age();
  }
  produce(source, topic, 0, keyed_records(120, 5, 10)); // rolls the fourth segment closed
  const int64_t end = high_watermark(source, topic, 0);
  REQUIRE(end == 125);
  // Wait for the cleaner (every second on these clusters, tools/kafka-cluster) to reach its
  // fixed point: of the closed segments (0..119) only each key's newest record (110..119)
  // stays, the active segment (120..124) is never cleaned.
  const size_t after_cleaning = 10 + 5;
  poll_until([&] { return read_committed(source, topic, 0).size() <= after_cleaning; }, 90s, 200ms);
  const auto kept = read_committed(source, topic, 0);
  INFO("records left after compaction: " << kept.size());
  REQUIRE(kept.size() == after_cleaning);

  // The target keeps the cleaner's own pace: segment.ms and the dirty ratio are not copied,
  // so the target does not compact during the test.
  auto cfg = real_pipeline("[" + topic + "]", "offsetMapping: {topic: " + unique_name("mappings") +
                                                  ", partitions: 1}\n"
                                                  "topicCreation: {excludeConfigs: [segment.ms, "
                                                  "min.cleanable.dirty.ratio]}\n");
  running_worker replicator{cfg};
  REQUIRE(replicated_to(replicator, {{0, end}}));
  auto configs = topic_configs(target, topic);
  CHECK(configs["cleanup.policy"] == "compact");
  CHECK(configs["min.compaction.lag.ms"] == "0");
  CHECK(configs.count("segment.ms") == 0);

  std::vector<int64_t> copied, left;
  for (const auto& r : read_committed(target, topic, 0))
    copied.push_back(r.source_offset);
  for (const auto& r : kept)
    left.push_back(r.offset);
  CHECK(copied == left); // exactly the records compaction kept, once each

  expect_every_position_translates(cfg, topic, end, left);
}

TEST_CASE(
    "records retention deleted before they were replicated are logged and counted, and groups "
    "among them land on the next copied record",
    "[kafka][retention][offset-mapping]") {
  const auto source = real_cluster("source"), target = real_cluster("target");
  auto topic = unique_name("expiring");
  const std::map<std::string, std::string> segments{{"segment.ms", "100"}};
  create_real_topic(source, topic, 1, segments);
  const int64_t hour_ago = std::chrono::duration_cast<std::chrono::milliseconds>(
                               (std::chrono::system_clock::now() - 1h).time_since_epoch())
                               .count();
  // Source 0..19 (written an hour ago by their timestamps) is replicated, then the replicator
  // stops.
  produce(source, topic, 0, keyed_records(0, 20, 1000, hour_ago));
  auto mappings = unique_name("mappings");
  auto cfg =
      real_pipeline("[" + topic + "]", "offsetMapping: {topic: " + mappings + ", partitions: 1}\n");
  {
    running_worker replicator{cfg};
    REQUIRE(replicated_to(replicator, {{0, 20}}));
  }
  // 20..49, also an hour old, in a segment of their own; 50..59 now.
  let_segment_age();
  produce(source, topic, 0, keyed_records(20, 30, 1000, hour_ago));
  let_segment_age();
  produce(source, topic, 0, keyed_records(50, 10, 1000));
  // Retention of 10 minutes: both old segments go, before 20..49 were replicated.
  auto retention = segments;
  retention["retention.ms"] = "600000";
  set_topic_configs(source, topic, retention);
  poll_until([&] { return log_start(source, topic) >= 50; }, 90s, 200ms);
  REQUIRE(log_start(source, topic) == 50);

  running_worker replicator{cfg};
  REQUIRE(replicated_to(replicator, {{0, 60}}));
  CHECK(replicator.status().records_deleted_on_source == 30);

  // On target: the copies of 0..19, then 50..59.
  std::vector<int64_t> copied;
  for (const auto& r : read_committed(target, topic, 0))
    copied.push_back(r.source_offset);
  std::vector<int64_t> expected;
  for (int64_t s = 0; s < 20; ++s)
    expected.push_back(s);
  for (int64_t s = 50; s < 60; ++s)
    expected.push_back(s);
  CHECK(copied == expected);

  // Groups in the lost range resume at the copy of 50 (target offset 20); the others exactly.
  expect_every_position_translates(cfg, topic, 60, expected);
}
