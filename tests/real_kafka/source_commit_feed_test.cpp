// On a real broker (the mock has no __consumer_offsets): groups.sourceCommits
// consumer-offsets. The source's commits are read from its __consumer_offsets as they happen,
// so with a poll interval of a minute a commit is still translated within seconds; a group
// that appears is picked up, and one whose offsets are deleted stops being translated.
#include "core/ground_truth.hpp"
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
