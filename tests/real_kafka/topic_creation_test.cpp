// On a real broker (auto.create.topics.enable=false, so only k2k creates topics; the mock has
// no CreateTopics): missing target topics get the source's partition count and topic configs
// minus the exclusion list, with the configured replication factor; the mapping topic is
// created when missing; partitions added on source are added on target and replicated.
#include "kafka/admin.hpp"
#include "support/real_kafka.hpp"
#include "support/replication_fixture.hpp"

#include <catch2/catch.hpp>

using namespace k2k;
using namespace k2k::test;
using namespace std::chrono_literals;

TEST_CASE("missing target topics are created like their source topic, minus excluded configs, "
          "and the mapping topic too",
          "[kafka][topics]") {
  const auto source = real_cluster("source"), target = real_cluster("target");
  auto topic = unique_name("created");
  create_real_topic(source, topic, 3,
                    {{"cleanup.policy", "compact,delete"},
                     {"retention.ms", "3600000"},
                     {"max.message.bytes", "2000000"},
                     {"min.compaction.lag.ms", "1000"},
                     {"message.timestamp.type", "LogAppendTime"}});
  for (int32_t p = 0; p < 3; ++p)
    produce(source, topic, p, numbered_records(5));
  auto mappings = unique_name("mappings");
  REQUIRE(partition_count(target, topic) == 0);
  REQUIRE(partition_count(target, mappings) == 0);

  auto cfg =
      real_pipeline("[" + topic + "]", "offsetMapping: {topic: " + mappings +
                                           ", partitions: 2}\n"
                                           "topicCreation: {replicationFactor: 1, excludeConfigs: "
                                           "[min.compaction.lag.ms, message.timestamp.type]}\n");
  running_worker replicator{cfg};
  REQUIRE(replicated_to(replicator, {{0, 5}, {1, 5}, {2, 5}}));

  CHECK(partition_count(target, topic) == 3);
  auto configs = topic_configs(target, topic);
  CHECK(configs["cleanup.policy"] == "compact,delete");
  CHECK(configs["retention.ms"] == "3600000");
  CHECK(configs["max.message.bytes"] == "2000000");
  CHECK(configs.count("min.compaction.lag.ms") == 0);  // excluded
  CHECK(configs.count("message.timestamp.type") == 0); // excluded (would restamp copies)
  CHECK(partition_count(target, mappings) == 2);
  CHECK(topic_configs(target, mappings)["cleanup.policy"] == "delete");
  for (int32_t p = 0; p < 3; ++p)
    CHECK(consume(target, topic, p, 0, 5).size() == 5);
}

TEST_CASE("a replication factor the target cannot give stops the replicator with a clear error",
          "[kafka][topics]") {
  auto topic = unique_name("unplaceable");
  create_real_topic(real_cluster("source"), topic, 1);
  auto cfg = real_pipeline("[" + topic + "]", "topicCreation: {replicationFactor: 3}\n");
  running_worker replicator{cfg};
  REQUIRE(replicator.wait_for_status([](const auto& st) { return st.state == "failed"; }));
  replicator.stop();
  REQUIRE(replicator.result());
  auto message = replicator.result()->message;
  INFO(message);
  CHECK(message.find("target topic " + topic + " is missing and cannot create topic") !=
        std::string::npos);
  CHECK(message.find("eplication factor") != std::string::npos);
}

TEST_CASE("partitions added on source are added on target and replicated", "[kafka][topics]") {
  const auto source = real_cluster("source"), target = real_cluster("target");
  auto topic = unique_name("growing");
  create_real_topic(source, topic, 2);
  for (int32_t p = 0; p < 2; ++p)
    produce(source, topic, p, numbered_records(5));
  auto cfg = real_pipeline("[" + topic + "]", "offsetMapping: {topic: " + unique_name("mappings") +
                                                  ", partitions: 1}\n");
  running_worker replicator{cfg};
  REQUIRE(replicated_to(replicator, {{0, 5}, {1, 5}}));
  REQUIRE(partition_count(target, topic) == 2);

  {
    auto admin = kafka::make_admin_client({{"bootstrap.servers", source}});
    REQUIRE_FALSE(kafka::create_partitions(admin.get(), topic, 4, 30s));
  }

  for (int32_t p = 2; p < 4; ++p)
    produce(source, topic, p, numbered_records(7));
  REQUIRE(replicated_to(replicator, {{0, 5}, {1, 5}, {2, 7}, {3, 7}}));
  CHECK(partition_count(target, topic) == 4);
  for (int32_t p = 2; p < 4; ++p) {
    auto copies = consume(target, topic, p, 0, 7);
    REQUIRE(copies.size() == 7);
    CHECK(header(copies.front(), "k2k_partition") == std::to_string(p));
    CHECK(header(copies.back(), "k2k_offset") == "6");
  }
  CHECK(replicator.status().delivery_errors == 0);
}

// librdkafka 2.0.2 enabled a codec only when the broker advertised exact old request
// versions (Kafka 4.0 dropped Produce v0 and brought it back in 4.0.0+ for this, KAFKA-18659);
// 2.11.1+ checks version ranges (#5130), so a later removal cannot disable a codec either.
// The version matrix in docs/real-kafka.md rests on this test.
TEST_CASE("compressed records are read and written on real brokers with every codec",
          "[kafka][compression]") {
  const auto source = real_cluster("source"), target = real_cluster("target");
  const std::string codec = GENERATE("gzip", "snappy", "lz4", "zstd");
  INFO("compression.type " << codec);
  auto topic = unique_name("compressed");
  create_real_topic(source, topic, 1);
  produce(source, topic, 0, numbered_records(50), {{"compression.type", codec}});
  auto cfg = real_pipeline("[" + topic + "]", "offsetMapping: {topic: " + unique_name("mappings") +
                                                  ", partitions: 1}\n");
  cfg.target.kafka.producer["compression.type"] = codec;
  running_worker replicator{cfg};
  REQUIRE(replicated_to(replicator, {{0, 50}}));
  INFO(replicator.status().error);
  CHECK(replicator.status().delivery_errors == 0);
  auto copies = consume(target, topic, 0, 0, 50);
  REQUIRE(copies.size() == 50);
  CHECK(copies.back().value == "v49");
}
