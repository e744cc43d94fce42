// On real 3-broker clusters (replication factor 3, min.insync.replicas 2), as operators run
// Kafka, while records flow and groups move: the leader of replicated partitions killed with
// -9 on source, then on target; a leader frozen (SIGSTOP) past the session timeouts; the
// active controller killed; a rolling restart of every broker of both clusters. Replication
// and translation stall until leaders are elected again and then go on. Afterwards no source record
// is missing on target, no target commit ever moved backwards (watched the whole time), and every
// translation is exact once quiet. Recovery times are printed (bench/, not asserted).
#include "reliability/commit_watch.hpp"
#include "reliability/progress_watch.hpp"
#include "support/real_kafka.hpp"
#include "support/replication_fixture.hpp"
#include "support/service_fixture.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <set>
#include <sstream>

using namespace k2k;
using namespace k2k::test;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {

constexpr int partitions = 3;

// Commits source positions for `groups` every 200 ms from a thread of its own, each group at
// its own fraction of what was written: groups move throughout the test.
class moving_groups {
public:
  moving_groups(std::string bootstrap, std::string topic, std::vector<std::string> groups,
                const steady_source& load)
      : bootstrap_(std::move(bootstrap)), topic_(std::move(topic)), groups_(std::move(groups)),
        load_(load), thread_([this] { run(); }) {}
  ~moving_groups() { stop(); }
  // Stops moving; the last position committed per group and partition.
  std::map<std::string, std::map<int32_t, int64_t>> stop() {
    stopping_ = true;
    if (thread_.joinable())
      thread_.join();
    return last_;
  }

private:
  void run() {
    while (!stopping_) {
      auto written = load_.written();
      for (size_t g = 0; g < groups_.size(); ++g)
        for (int32_t p = 0; p < partitions; ++p) {
          auto s = written[static_cast<size_t>(p)] * static_cast<int64_t>(g + 1) /
                   static_cast<int64_t>(groups_.size() + 1);
          try {
            commit_offset(bootstrap_, groups_[g], topic_, p, s);
            last_[groups_[g]][p] = s;
          } catch (const std::exception&) {
            // Its coordinator is down: an application commits again at its next interval.
          }
        }
      std::this_thread::sleep_for(200ms); // how often the applications commit
    }
  }
  std::string bootstrap_, topic_;
  std::vector<std::string> groups_;
  const steady_source& load_;
  std::atomic<bool> stopping_{false};
  std::map<std::string, std::map<int32_t, int64_t>> last_;
  std::thread thread_;
};

} // namespace

TEST_CASE("broker faults while replicating and translating: nothing lost, no commit backwards, "
          "translations exact",
          "[kafka3][broker-faults]") {
  const std::string fault = GENERATE("kill -9 the leader on source", "kill -9 the leader on target",
                                     "pause the leader on target past the session timeouts",
                                     "kill -9 the active controller of target",
                                     "rolling restart of every broker of both clusters");
  INFO(fault);
  const auto source = real_cluster("source3"), target = real_cluster("target3");
  auto topic = unique_name("orders");
  create_real_topic(source, topic, partitions);
  std::vector<std::string> groups;
  for (int g = 0; g < 3; ++g)
    groups.push_back(unique_name("app"));
  std::ostringstream list;
  for (const auto& g : groups)
    list << (list.tellp() ? ", " : "") << g;
  auto cfg = pipeline(source, target, "[" + topic + "]",
                      "offsetMapping: {topic: " + unique_name("mappings") +
                          ", partitions: 2}\n"
                          "groups: {consumerGroups: [" +
                          list.str() + "], pollInterval: 250ms}\n");
  cfg.name = unique_name("pipeline");

  steady_source load{source, topic, partitions};
  moving_groups apps{source, topic, groups, load};
  running_worker replicator{cfg};
  service_fixture om{cfg};
  std::vector<kafka::topic_partition> tps;
  for (int32_t p = 0; p < partitions; ++p)
    tps.emplace_back(topic, p);
  reliability::commit_watch watch{target, groups, tps};
  REQUIRE(om.wait_for([](const auto& n) { return n.commits_written >= 9; }));

  // The fault, then how long until replication (3 more rounds of records) and translation
  // (9 more commits) move again, measured from its start; then the cluster is healed.
  const auto records_at_fault = replicator.status().records;
  const auto commits_at_fault = om.service->counters()->commits_written.load();
  auto measure = [&] {
    auto replication = poll_until(
        [&] { return replicator.status().records >= records_at_fault + 3 * 50 * partitions; },
        120s);
    auto translation = poll_until(
        [&] { return om.service->counters()->commits_written.load() >= commits_at_fault + 9; },
        120s);
    return std::make_pair(replication, translation);
  };
  std::pair<std::optional<std::chrono::milliseconds>, std::optional<std::chrono::milliseconds>>
      back;
  // The longest stretch without progress, sampled every 100 ms from before the fault.
  reliability::progress_watch replication_progress{
      [&]() -> std::optional<int64_t> { return replicator.status().records; }};
  reliability::progress_watch translation_progress{
      [&]() -> std::optional<int64_t> { return om.service->counters()->commits_written.load(); }};
  auto fault_start = clock_type::now();
  if (fault == "kill -9 the leader on source" || fault == "kill -9 the leader on target") {
    auto cluster = fault == "kill -9 the leader on source" ? "source3" : "target3";
    auto leader = leader_of(cluster, topic, 0);
    cluster_command(cluster, "kill", leader);
    back = measure();
    cluster_command(cluster, "start", leader);
  } else if (fault == "pause the leader on target past the session timeouts") {
    auto leader = leader_of("target3", topic, 0);
    cluster_command("target3", "pause", leader);
    back = measure();
    // Frozen for 12 s in all: past the broker's session with the controller (9 s) and the
    // clients' request and session timeouts (6 s); then it wakes with a stale view.
    std::this_thread::sleep_until(fault_start + 12s);
    cluster_command("target3", "resume", leader);
  } else if (fault == "kill -9 the active controller of target") {
    auto controller = controller_of("target3");
    cluster_command("target3", "kill", controller);
    back = measure();
    cluster_command("target3", "start", controller);
  } else {
    for (const auto* cluster : {"source3", "target3"})
      for (int32_t node = 1; node <= 3; ++node) {
        cluster_command(cluster, "stop", node);  // SIGTERM: a controlled shutdown
        cluster_command(cluster, "start", node); // back once it serves metadata
      }
    back = measure();
  }
  auto [replication_back, translation_back] = back;
  REQUIRE(replication_back);
  REQUIRE(translation_back);
  auto healed = clock_type::now();
  std::printf(
      "broker-fault recovery: %s: replication moving again after %lld ms, translation "
      "after %lld ms (from the fault's start); longest stall until healed: replication "
      "%lld ms, translation %lld ms\n",
      fault.c_str(), static_cast<long long>(replication_back->count()),
      static_cast<long long>(translation_back->count()),
      static_cast<long long>(replication_progress.longest_stall(fault_start, healed).count()),
      static_cast<long long>(translation_progress.longest_stall(fault_start, healed).count()));

  // Quiet: no more records or commits; everything replicated, every translation settles.
  auto committed = apps.stop();
  load.stop();
  // The source log's own end: a producer retrying through a leader change may have written
  // a record twice there, and those are records to replicate too.
  std::map<int32_t, int64_t> ends;
  for (int32_t p = 0; p < partitions; ++p)
    ends[p] = high_watermark(source, topic, p);
  REQUIRE(replicated_to(replicator, ends, 120s));
  REQUIRE(replicator.status().error.empty());
  for (int32_t p = 0; p < partitions; ++p) {
    INFO("partition " << p);
    std::set<int64_t> on_source, copied;
    for (const auto& r : read_committed(source, topic, p))
      on_source.insert(r.offset);
    for (const auto& r : read_committed(target, topic, p))
      copied.insert(r.source_offset);
    CHECK(copied == on_source); // every source record, none lost
  }
  auto exact = [&] {
    for (int32_t p = 0; p < partitions; ++p) {
      auto truth = copies_on_target(target, topic, p);
      for (const auto& g : groups)
        if (committed_offset(target, g, topic, p) != truth.migrate_position(committed[g][p]))
          return false;
    }
    return true;
  };
  CHECK(poll_until(exact, 60s));
  for (const auto& r : watch.regressions())
    FAIL_CHECK(r.group << " " << r.partition.first << "[" << r.partition.second << "] moved from "
                       << r.before.offset << " back to " << r.after.offset);
  CHECK(watch.reads() > 0);
}
