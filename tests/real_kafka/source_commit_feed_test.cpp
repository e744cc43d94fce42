// On a real broker (the mock has no __consumer_offsets): groups.sourceCommits
// consumer-offsets. The source's commits are read from its __consumer_offsets as they happen,
// so with a poll interval of a minute a commit is still translated within seconds; a group
// that appears is picked up, and one whose offsets are deleted stops being translated.
#include "core/ground_truth.hpp"
#include "support/many_groups.hpp"
#include "support/real_kafka.hpp"
#include "support/replication_fixture.hpp"
#include "support/service_fixture.hpp"

#include <catch2/catch.hpp>

using namespace k2k;
using namespace k2k::test;
using namespace std::chrono_literals;

TEST_CASE("source commits read from __consumer_offsets are translated as they happen, new "
          "groups picked up and deleted ones dropped",
          "[kafka][offset-mapping][source-commits]") {
  const auto source = real_cluster("source"), target = real_cluster("target");
  const auto topic = unique_name("orders"), mappings = unique_name("mappings");
  create_real_topic(source, topic, 1);
  produce(source, topic, 0, numbered_records(30));
  const auto prefix = unique_name("feed");
  const auto first = prefix + "-first", late = prefix + "-late";
  commit_offset(source, first, topic, 0, 5);

  // A poll interval far longer than any wait below: whatever is translated in time was pushed.
  auto cfg = real_pipeline("[" + topic + "]", "offsetMapping: {topic: " + mappings +
                                                  ", partitions: 1}\n"
                                                  "groups: {consumerGroups: \"" +
                                                  prefix +
                                                  "-.*\", pollInterval: 10m, "
                                                  "sourceCommits: consumer-offsets}\n");
  running_worker replicator{cfg};
  REQUIRE(replicated_to(replicator, {{0, 30}}));
  auto truth = [&](int64_t s) {
    return copies_on_target(target, topic, 0).resume_at(s).value_or(-1);
  };
  service_fixture om{cfg};
  auto on_target = [&](const std::string& group, int64_t s) {
    return poll_until([&] { return committed_offset(target, group, topic, 0) == truth(s); }, 30s);
  };
  REQUIRE(on_target(first, 5));
  CHECK(om.service->counters()->groups == 1);

  commit_offset(source, first, topic, 0, 17); // a change: pushed, not polled
  CHECK(on_target(first, 17));
  commit_offset(source, late, topic, 0, 9); // a group that appears while it runs
  CHECK(on_target(late, 9));
  CHECK(om.service->counters()->groups == 2);
  CHECK(om.service->counters()->source_commit_groups >= 2);

  // Deleting the group on source writes tombstones for its offsets: it stops being
  // translated (its actor and clients go), and what k2k wrote on target stays.
  auto deleted = run_command(
      kafka_tool("consumer-groups", "--bootstrap-server " + source + " --delete --group " + first));
  INFO(deleted.out);
  REQUIRE(deleted.exit_code == 0);
  CHECK(poll_until([&] { return om.service->counters()->groups == 1; }, 30s));
  CHECK(committed_offset(target, first, topic, 0) == truth(17));

  // It comes back when it commits again.
  commit_offset(source, first, topic, 0, 25);
  CHECK(on_target(first, 25));
  CHECK(om.service->counters()->groups == 2);
}

TEST_CASE("sourceCommits poll reads each group's commits every poll interval instead",
          "[kafka][offset-mapping][source-commits]") {
  const auto source = real_cluster("source"), target = real_cluster("target");
  const auto topic = unique_name("orders"), mappings = unique_name("mappings");
  create_real_topic(source, topic, 1);
  produce(source, topic, 0, numbered_records(10));
  const auto group = unique_name("polled");
  commit_offset(source, group, topic, 0, 4);
  auto cfg = real_pipeline("[" + topic + "]", "offsetMapping: {topic: " + mappings +
                                                  ", partitions: 1}\n"
                                                  "groups: {consumerGroups: [" +
                                                  group +
                                                  "], pollInterval: 250ms, sourceCommits: poll}\n");
  running_worker replicator{cfg};
  REQUIRE(replicated_to(replicator, {{0, 10}}));
  service_fixture om{cfg};
  auto truth = copies_on_target(target, topic, 0).resume_at(4).value_or(-1);
  CHECK(poll_until([&] { return committed_offset(target, group, topic, 0) == truth; }, 30s));
  CHECK(om.service->counters()->source_commit_groups == 0); // the feed never ran
}

TEST_CASE("2000 groups read from __consumer_offsets are translated exactly by one worker",
          "[kafka][offset-mapping][source-commits][many-groups]") {
  constexpr int groups = 2000;
  constexpr int partitions = 4;
  constexpr int64_t records = 50;
  const auto source = real_cluster("source"), target = real_cluster("target");
  const auto topic = unique_name("orders"), mappings = unique_name("mappings");
  create_real_topic(source, topic, partitions);
  for (int p = 0; p < partitions; ++p)
    produce(source, topic, p, numbered_records(records));
  const auto prefix = unique_name("many");
  commit_spread(source, prefix, groups, topic, partitions, records);
  auto cfg =
      real_pipeline("[" + topic + "]", "offsetMapping: {topic: " + mappings +
                                           ", partitions: 2}\n"
                                           "groups: {consumerGroups: \"" +
                                           prefix + "-.*\", sourceCommits: consumer-offsets}\n");
  running_worker replicator{cfg};
  std::map<int32_t, int64_t> ends;
  for (int p = 0; p < partitions; ++p)
    ends[p] = records;
  REQUIRE(replicated_to(replicator, ends));
  auto threads_before = threads_of_this_process();
  service_fixture om{cfg};
  // Offsets at the log start (0) are written too: every group-partition has a commit.
  bool all_written = om.wait_for(
      [](const auto& n) { return n.commits_written >= uint64_t{groups} * partitions; }, 120s);
  const auto& n = *om.service->counters();
  INFO("written " << n.commits_written << " unchanged " << n.commits_unchanged << " pending "
                  << n.pending << " translated " << n.translated << " errors " << n.errors
                  << " stale " << n.skipped_stale << " foreign " << n.skipped_foreign << " groups "
                  << n.groups << " cycles " << n.cycles);
  REQUIRE(all_written);
  CHECK(om.service->counters()->groups == groups); // all found in __consumer_offsets
  auto threads_added = threads_of_this_process() - threads_before;
  INFO("threads added by the service: " << threads_added);
  CHECK(threads_added < 100);
  auto inexact = inexact_group_partitions(target, prefix, groups, topic, partitions, records);
  for (const auto& what : inexact)
    FAIL_CHECK(what);
  CHECK(inexact.empty());
}
