// On real brokers, with clients k2k did not write: after the offset-mapping service translated
// two groups and stopped (the cut-over), Kafka's own console consumer and kcat join them on
// target and read exactly the records their application had not read on source, no more, no
// fewer; Kafka's kafka-consumer-groups --describe shows the translated offsets. The target
// topic holds data of its own first and the source an aborted transaction, so that target
// offsets differ from source offsets and a translation off by one shows.
#include "core/guard.hpp"
#include "kafka/admin.hpp"
#include "kafka/group_offsets.hpp"
#include "support/real_kafka.hpp"
#include "support/replication_fixture.hpp"
#include "support/service_fixture.hpp"

#include <catch2/catch.hpp>

#include <cctype>
#include <map>
#include <sstream>

using namespace k2k;
using namespace k2k::test;
using namespace std::chrono_literals;

namespace {

constexpr int partitions = 2;
// Where each group stands on source: inside the aborted range of partition 0, mid-partition 1.
const std::map<int32_t, int64_t> source_positions{{0, 11}, {1, 9}};

// Lines "PARTITION VALUE" of the records a consumer resuming at source_positions reads on
// source (read_committed), partition by partition in offset order.
std::vector<std::string> unread_on_source(const std::string& source, const std::string& topic) {
  std::vector<std::string> lines;
  for (auto [partition, position] : source_positions)
    for (const auto& r :
         consume(source, topic, partition, position, high_watermark(source, topic, partition)))
      lines.push_back(std::to_string(partition) + " " + r.value);
  return lines;
}

// A tool's output lines "PARTITION VALUE" (the console consumer's "Partition:P<tab>VALUE"
// too; the lines of notices it prints among them are left out), grouped by partition in the order
// it printed them: partitions interleave, each partition's own order is what a consumer sees.
std::vector<std::string> by_partition(const std::string& out) {
  std::map<int, std::vector<std::string>> lines;
  std::istringstream in{out};
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("Partition:", 0) == 0)
      line = line.substr(10);
    if (auto tab = line.find('\t'); tab != std::string::npos)
      line[tab] = ' ';
    if (!line.empty() && std::isdigit(static_cast<unsigned char>(line[0]))) // not a notice
      lines[std::stoi(line)].push_back(line);
  }
  std::vector<std::string> all;
  for (auto& [partition, some] : lines)
    all.insert(all.end(), some.begin(), some.end());
  return all;
}

// CURRENT-OFFSET per partition of `topic` in kafka-consumer-groups --describe output.
std::map<int32_t, int64_t> described_offsets(const std::string& out, const std::string& topic) {
  std::map<int32_t, int64_t> offsets;
  std::istringstream in{out};
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream columns{line};
    std::string group, topic_column, partition, current;
    if (columns >> group >> topic_column >> partition >> current && topic_column == topic &&
        current != "-")
      offsets[std::stoi(partition)] = std::stoll(current);
  }
  return offsets;
}

} // namespace

TEST_CASE("Kafka's console consumer and kcat resume a translated group on target exactly, and "
          "kafka-consumer-groups shows the translated offsets",
          "[kafka][offset-mapping][real-clients]") {
  const auto source = real_cluster("source"), target = real_cluster("target");
  const auto topic = unique_name("clients-orders");
  create_real_topic(source, topic, partitions);
  create_real_topic(target, topic, partitions);
  for (int32_t p = 0; p < partitions; ++p)
    produce(target, topic, p, numbered_records(5 + 3 * p, 1000)); // the target's own data

  // Partition 0: 10 records, an aborted transaction of 3, 20 records; partition 1: 25.
  auto values = [](int32_t p, int first, int n) {
    auto records = numbered_records(n, first);
    for (auto& r : records)
      r.value = "p" + std::to_string(p) + "-" + r.value;
    return records;
  };
  produce(source, topic, 0, values(0, 0, 10));
  auto aborting = transactional_producer(source, unique_name("aborting"));
  REQUIRE_FALSE(kafka::error_ptr{rd_kafka_begin_transaction(aborting.get())});
  for (int i = 0; i < 3; ++i)
    send(aborting.get(), topic, 0, "aborted");
  REQUIRE(rd_kafka_flush(aborting.get(), 30000) == RD_KAFKA_RESP_ERR_NO_ERROR);
  REQUIRE_FALSE(kafka::error_ptr{rd_kafka_abort_transaction(aborting.get(), 30000)});
  produce(source, topic, 0, values(0, 10, 20));
  produce(source, topic, 1, values(1, 0, 25));

  const auto console_group = unique_name("console-app"), kcat_group = unique_name("kcat-app");
  for (const auto& group : {console_group, kcat_group})
    for (auto [partition, position] : source_positions)
      commit_offset(source, group, topic, partition, position);

  const auto mappings = unique_name("mappings");
  auto cfg = real_pipeline("[" + topic + "]", "offsetMapping: {topic: " + mappings +
                                                  ", partitions: 1}\n"
                                                  "groups: {consumerGroups: [" +
                                                  console_group + ", " + kcat_group +
                                                  "], pollInterval: 250ms}\n");
  running_worker replicator{cfg};
  REQUIRE(replicated_to(
      replicator, {{0, high_watermark(source, topic, 0)}, {1, high_watermark(source, topic, 1)}}));

  // Where each group must stand on target: the first copy at or after its source position.
  std::map<int32_t, int64_t> translated;
  for (auto [partition, position] : source_positions)
    translated[partition] =
        copies_on_target(target, topic, partition).resume_at(position).value_or(-1);
  REQUIRE(translated.at(0) != source_positions.at(0)); // the target's own data shifts offsets
  auto translated_everywhere = [&] {
    for (const auto& group : {console_group, kcat_group})
      for (auto [partition, offset] : translated)
        if (committed_offset(target, group, topic, partition) != offset)
          return false;
    return true;
  };
  {
    service_fixture om{cfg};
    REQUIRE(poll_until(translated_everywhere, 60s));
  } // the cut-over: translation stops before the applications start on target

  // kafka-consumer-groups --describe shows the translated offsets (it prints no metadata: the
  // admin API shows that k2k's guard version is there, naming the source position).
  for (const auto& group : {console_group, kcat_group}) {
    INFO("group " << group);
    auto describe = run_command(kafka_tool("consumer-groups", "--bootstrap-server " + target +
                                                                  " --describe --group " + group));
    INFO(describe.out);
    REQUIRE(describe.exit_code == 0);
    CHECK(described_offsets(describe.out, topic) == translated);

    auto admin = kafka::make_admin_client({{"bootstrap.servers", target}});
    auto committed = kafka::list_group_offsets(admin.get(), group, {{topic, 0}, {topic, 1}}, 30s)
                         .value_or_throw();
    for (auto [partition, position] : source_positions) {
      auto version = core::parse_guard_metadata(cfg.groups.offset_guard_prefix,
                                                committed.at({topic, partition}).metadata);
      REQUIRE(version);
      CHECK(version->source.value == position);
    }
  }

  const auto expected = unread_on_source(source, topic);
  REQUIRE(expected.size() == 20 + 16);

  // Kafka's console consumer in the translated group: as many records as were unread, and
  // then it waits (up to its timeout) for more; one record off either way changes what it prints.
  auto console = run_command(kafka_tool(
      "console-consumer", "--bootstrap-server " + target + " --topic " + topic + " --group " +
                              console_group + " --max-messages " + std::to_string(expected.size()) +
                              " --timeout-ms 30000 --property print.partition=true"));
  CHECK(by_partition(console.out) == expected);

  // kcat's balanced consumer in the other group, to the end of every partition.
  auto kcat =
      run_command("kcat -q -b " + target + " -G " + kcat_group + " -e -f '%p %s\\n' " + topic);
  CHECK(kcat.exit_code == 0);
  CHECK(by_partition(kcat.out) == expected);
}
