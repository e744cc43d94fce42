// On a real broker, exactly-once through process faults: `kill -9` of a replicator in the
// middle of a transaction, and a zombie (a frozen replicator whose partitions moved to a
// second instance of the same pipeline, then thawed). The broker aborts the open transaction
// and fences the old producer: read_committed target data has every source record once,
// and nothing the dead or frozen instance had written in its open transaction ever becomes
// visible. The mock can show neither: it never fences and keeps aborted records readable.
#include "core/client_ids.hpp"
#include "reliability/child_process.hpp"
#include "support/real_kafka.hpp"
#include "support/replication_fixture.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

using namespace k2k;
using namespace k2k::test;
using namespace std::chrono_literals;
using reliability::child_process;

namespace {

constexpr int partitions = 2;

struct eos_pipeline {
  std::string topic = unique_name("eos-orders");
  std::string name = unique_name("eos");
  std::filesystem::path dir = std::filesystem::temp_directory_path() / unique_name("k2k-eos");
  std::string config;

  eos_pipeline() {
    create_real_topic(real_cluster("source"), topic, partitions);
    std::filesystem::create_directories(dir);
    config = (dir / "pipeline.yaml").string();
    std::ofstream{config} << "name: " << name << "\n"
                          << "source: {kafka: {common: {bootstrap.servers: \""
                          << real_cluster("source")
                          << "\"}, consumer: {session.timeout.ms: \"6000\", "
                             "heartbeat.interval.ms: \"500\"}}}\n"
                          << "target: {kafka: {common: {bootstrap.servers: \""
                          << real_cluster("target") << "\"}}}\n"
                          << "replication:\n  - source: {topic: [" << topic << "]}\n"
                          << "features: {exactlyOnce: enabled}\n"
                          << "offsetMapping: {topic: " << unique_name("mappings")
                          << ", partitions: 2}\n"
                          << "replicator: {batchSize: 100, reportInterval: 1s}\n"
                          << "metrics: {listen: \"127.0.0.1:0\"}\n";
  }
  std::unique_ptr<child_process> start(const std::string& log) const {
    return std::make_unique<child_process>(
        std::vector<std::string>{K2K_BIN, "replicate", "-c", config},
        std::map<std::string, std::string>{}, (dir / log).string());
  }
};

// Source offsets of every read_committed copy on target, per partition.
std::vector<std::vector<int64_t>> committed_copies(const std::string& topic) {
  std::vector<std::vector<int64_t>> out(partitions);
  for (int32_t p = 0; p < partitions; ++p)
    for (const auto& r : read_committed(real_cluster("target"), topic, p))
      out[static_cast<size_t>(p)].push_back(r.source_offset);
  return out;
}

// How many read_committed copies target holds in all.
size_t committed_copy_count(const std::string& topic) {
  size_t n = 0;
  for (const auto& c : committed_copies(topic))
    n += c.size();
  return n;
}

// Freezes the replicator at a moment it has a transaction open on target (records written,
// not committed); returns the target offsets of those records. Thaws and tries again while
// it has none.
std::map<int32_t, std::vector<int64_t>> freeze_mid_transaction(child_process& replicator,
                                                               const std::string& pipeline_name,
                                                               const std::string& topic) {
  // The replicator runs freely until its first transaction is committed (it creates the
  // target topic first): its group join and its producers' start take many round trips,
  // which the freezes below, each as long as a JVM tool's run, would starve.
  REQUIRE(poll_until([&] { return partition_count(real_cluster("target"), topic) >= partitions; },
                     60s, 100ms));
  REQUIRE(poll_until([&] { return committed_copy_count(topic) > 0; }, 90s, 100ms));
  auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < deadline) {
    replicator.stop();
    std::map<int32_t, std::vector<int64_t>> open;
    for (int32_t p = 0; p < partitions; ++p) {
      auto offsets = uncommitted_offsets(real_cluster("target"), topic, p);
      // Records not committed yet may belong to a commit the replicator sent just before it
      // froze (the broker completes it): only a transaction its coordinator still has as
      // Ongoing, with its producer frozen, stays open.
      if (!offsets.empty() &&
          transaction_state(real_cluster("target"),
                            core::transactional_id(pipeline_name, topic, p)) == "Ongoing")
        open[p] = offsets;
    }
    if (!open.empty())
      return open;
    replicator.resume();
    std::this_thread::sleep_for(50ms); // let it write again: the moment is the test's choice
  }
  FAIL("the replicator never had a transaction open");
  return {};
}

// Until read_committed target has every record the source got (or the deadline), then checks
// each partition holds each source offset exactly once and none of `hidden` is visible.
void expect_exactly_once(const std::string& topic, const std::vector<int64_t>& written,
                         const std::map<int32_t, std::vector<int64_t>>& hidden) {
  std::vector<std::vector<int64_t>> copies;
  poll_until(
      [&] {
        copies = committed_copies(topic);
        for (int32_t p = 0; p < partitions; ++p)
          if (std::set<int64_t>(copies[p].begin(), copies[p].end()).size() <
              static_cast<size_t>(written[p]))
            return false;
        return true;
      },
      90s, 200ms);
  for (int32_t p = 0; p < partitions; ++p) {
    INFO("partition " << p << ": " << written[p] << " records on source");
    std::vector<int64_t> expected(static_cast<size_t>(written[p]));
    for (int64_t i = 0; i < written[p]; ++i)
      expected[static_cast<size_t>(i)] = i;
    CHECK(copies[p] == expected); // all, in order, none twice
    if (!hidden.count(p))
      continue;
    std::set<int64_t> visible;
    for (const auto& r : read_committed(real_cluster("target"), topic, p))
      visible.insert(r.offset);
    for (auto t : hidden.at(p))
      CHECK_FALSE(visible.count(t)); // the open transaction's records never became visible
  }
}

} // namespace

TEST_CASE("exactly-once: kill -9 mid-transaction, then a restart: every record once, the open "
          "transaction never visible",
          "[kafka][exactly-once][faults]") {
  eos_pipeline pipeline;
  steady_source load{real_cluster("source"), pipeline.topic, partitions};
  auto first = pipeline.start("first.log");
  auto open = freeze_mid_transaction(*first, pipeline.name, pipeline.topic);
  first->kill9();
  const auto before = committed_copy_count(pipeline.topic);
  auto second = pipeline.start("second.log");
  // The restart replicates while records keep arriving.
  REQUIRE(
      poll_until([&] { return committed_copy_count(pipeline.topic) >= before + 200; }, 60s, 200ms));
  auto written = load.stop();
  expect_exactly_once(pipeline.topic, written, open);
  REQUIRE(second->terminate(30s) == 0);
}

TEST_CASE("exactly-once: a zombie replicator whose partitions moved is fenced and none of its "
          "writes become visible",
          "[kafka][exactly-once][faults][zombie]") {
  eos_pipeline pipeline;
  steady_source load{real_cluster("source"), pipeline.topic, partitions};
  auto zombie = pipeline.start("zombie.log");
  auto open = freeze_mid_transaction(*zombie, pipeline.name, pipeline.topic);
  // A second instance of the pipeline takes the partitions once the frozen one's session
  // expires, and its producers (same transactional ids) fence the frozen one's.
  auto successor = pipeline.start("successor.log");
  const auto before = committed_copy_count(pipeline.topic);
  REQUIRE(
      poll_until([&] { return committed_copy_count(pipeline.topic) >= before + 200; }, 60s, 200ms));
  // The zombie wakes with its transaction still open and its view stale: the broker refuses
  // its next transactional request and the replicator stops with that error.
  zombie->resume();
  poll_until([&] { return zombie->exit_status().has_value(); }, 60s, 100ms);
  auto zombie_exit = zombie->exit_status();
  REQUIRE(zombie_exit);
  CHECK(*zombie_exit != 0);
  auto written = load.stop();
  expect_exactly_once(pipeline.topic, written, open);
  REQUIRE(successor->terminate(30s) == 0);
}
