// On a real broker (the mock has no ListGroups): which source groups the offset-mapping
// service translates. A regex with exclusions picks its groups from the source's group list,
// a group that appears while it runs is picked up at the next poll, and the default
// (consumerGroups ".*") works. A target group with live members is never written, whatever
// onActiveConsumerGroupCommit says, and the others go on.
#include "core/ground_truth.hpp"
#include "support/real_kafka.hpp"
#include "support/replication_fixture.hpp"
#include "support/service_fixture.hpp"

#include <catch2/catch.hpp>

using namespace k2k;
using namespace k2k::test;
using namespace std::chrono_literals;

namespace {

// A topic of `records` records on source, replicated to target by a running worker of `cfg`.
struct replicated_topic {
  std::string topic = unique_name("orders");
  std::string mappings = unique_name("mappings");

  explicit replicated_topic(int records) {
    create_real_topic(real_cluster("source"), topic, 1);
    produce(real_cluster("source"), topic, 0, numbered_records(records));
  }
  config::pipeline_config pipeline(const std::string& groups_yaml) const {
    return real_pipeline("[" + topic + "]",
                         "offsetMapping: {topic: " + mappings + ", partitions: 1}\n" + groups_yaml);
  }
  // Where a group that committed s on source must stand on target.
  int64_t truth(int64_t s) const {
    return copies_on_target(real_cluster("target"), topic, 0).resume_at(s).value_or(-1);
  }
};

} // namespace

TEST_CASE(
    "groups by regex with exclusions, and a group that appears later is picked up at the next "
    "poll",
    "[kafka][offset-mapping][groups]") {
  const auto source = real_cluster("source"), target = real_cluster("target");
  replicated_topic data{20};
  const auto prefix = unique_name("app");
  commit_offset(source, prefix + "-a", data.topic, 0, 5);
  commit_offset(source, prefix + "-b", data.topic, 0, 12);
  commit_offset(source, prefix + "-skip-1", data.topic, 0, 7);       // excluded
  commit_offset(source, "other-" + prefix + "-a", data.topic, 0, 9); // not a whole-name match

  // Polling: the source's group list is read every poll interval (the __consumer_offsets
  // feed finds new groups itself: source_commit_feed_test.cpp).
  auto cfg = data.pipeline("groups: {consumerGroups: \"" + prefix + "-.*\", exclude: \"" + prefix +
                           "-skip-.*\", pollInterval: 250ms, sourceCommits: poll}\n");
  running_worker replicator{cfg};
  REQUIRE(replicated_to(replicator, {{0, 20}}));
  service_fixture om{cfg};
  REQUIRE(om.wait_for([](const auto& n) { return n.commits_written >= 2; }));
  CHECK(committed_offset(target, prefix + "-a", data.topic, 0) == data.truth(5));
  CHECK(committed_offset(target, prefix + "-b", data.topic, 0) == data.truth(12));

  // A group that appears now: picked up at the next listing, not after the old 30 s. Measured
  // in translation cycles of the two groups already running (4 a second each), so a loaded
  // machine slows both alike: 40 cycles is 5 s of polling.
  const auto cycles_before = om.service->counters()->cycles.load();
  commit_offset(source, prefix + "-late", data.topic, 0, 15);
  REQUIRE(om.wait_for([](const auto& n) { return n.commits_written >= 3; }));
  auto cycles_taken = om.service->counters()->cycles.load() - cycles_before;
  INFO("cycles of the other groups until the late group was written: " << cycles_taken);
  CHECK(cycles_taken < 40);
  CHECK(committed_offset(target, prefix + "-late", data.topic, 0) == data.truth(15));

  // Excluded, or not matched as a whole name: never written.
  CHECK_FALSE(committed_offset(target, prefix + "-skip-1", data.topic, 0));
  CHECK_FALSE(committed_offset(target, "other-" + prefix + "-a", data.topic, 0));
}

TEST_CASE("the default consumerGroups \".*\" translates the source's groups",
          "[kafka][offset-mapping][groups]") {
  const auto source = real_cluster("source"), target = real_cluster("target");
  replicated_topic data{10};
  const auto group = unique_name("any-app");
  commit_offset(source, group, data.topic, 0, 6);
  auto cfg = data.pipeline("groups: {pollInterval: 250ms}\n");
  REQUIRE(cfg.groups.consumer_groups.regex == ".*");
  running_worker replicator{cfg};
  REQUIRE(replicated_to(replicator, {{0, 10}}));
  service_fixture om{cfg};
  // Other tests' groups on the shared source have no mappings in this pipeline's topic; the
  // replicator's own source group (k2k-<pipeline>) has, and may be written first.
  REQUIRE(
      poll_until([&] { return committed_offset(target, group, data.topic, 0).has_value(); }, 60s));
  CHECK(committed_offset(target, group, data.topic, 0) == data.truth(6));
}

TEST_CASE("a target group with live members is never written and the others go on",
          "[kafka][offset-mapping][active-group]") {
  const auto source = real_cluster("source"), target = real_cluster("target");
  const std::string policy = GENERATE("fail", "ignore");
  INFO("onActiveConsumerGroupCommit: " << policy);
  replicated_topic data{10};
  const auto live = unique_name("live"), idle = unique_name("idle");
  commit_offset(source, live, data.topic, 0, 4);
  commit_offset(source, idle, data.topic, 0, 6);
  auto cfg = data.pipeline("groups: {consumerGroups: [" + live + ", " + idle +
                           "], pollInterval: 250ms}\n"
                           "errorHandling: {onActiveConsumerGroupCommit: " +
                           policy + "}\n");
  running_worker replicator{cfg};
  REQUIRE(replicated_to(replicator, {{0, 10}}));

  // The application already runs on target in group `live` (it commits nothing itself).
  auto member = live_member(target, live, data.topic, {{"enable.auto.commit", "false"}});
  service_fixture om{cfg};
  REQUIRE(om.wait_for([](const auto& n) { return n.commits_written >= 1 && n.active_group >= 2; }));
  CHECK(committed_offset(target, idle, data.topic, 0) == data.truth(6));
  CHECK_FALSE(committed_offset(target, live, data.topic, 0));
  CHECK(om.service->counters()->commits_written.load() == 1);
}
