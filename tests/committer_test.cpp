// The committer's hand-over rules (core/write_leases.hpp): a write not answered in time is
// abandoned for good, and only leased mapping partitions are written.
#include "support/replication_fixture.hpp"

#include "kafka/admin.hpp"
#include "kafka/group_client.hpp"
#include "kafka/group_offsets.hpp"
#include "kafka/group_offsets_helper.hpp"
#include "offset_mapping/committer.hpp"
#include "offset_mapping/service.hpp"

#include <caf/all.hpp>
#include <catch2/catch.hpp>

using namespace k2k;
using namespace k2k::test;
using namespace std::chrono_literals;

namespace {

using clock = std::chrono::steady_clock;

std::optional<int64_t> committed(const std::string& bootstrap, const std::string& group,
                                 const kafka::topic_partition& tp) {
  auto admin = kafka::make_admin_client({{"bootstrap.servers", bootstrap}});
  auto read = kafka::list_group_offsets(admin.get(), group, {tp}, 10s);
  REQUIRE(read);
  if (!read->count(tp))
    return std::nullopt;
  return read->at(tp).offset;
}

// The group's commit once it differs from `was`, or `was` if it did not within `watch`:
// librdkafka sends a deferred commit as soon as the coordinator answers again (within a
// second or two), so watching well past that shows it never will.
int64_t commit_after(const std::string& bootstrap, const std::string& group,
                     const kafka::topic_partition& tp, int64_t was,
                     std::chrono::milliseconds watch) {
  auto watch_until = clock::now() + watch;
  int64_t seen = was;
  while (clock::now() < watch_until && seen == was) {
    std::this_thread::sleep_for(100ms); // polling the group's commit
    seen = committed(bootstrap, group, tp).value_or(-1);
  }
  return seen;
}

} // namespace

TEST_CASE("a group write not answered in time is abandoned and does not land when the "
          "coordinator comes back",
          "[offset-mapping][committer]") {
  kafka::mock_cluster cluster{3};
  cluster.create_topic("orders", 1);
  REQUIRE(rd_kafka_mock_coordinator_set(cluster.native(), "group", "app", 2) == 0);
  const kafka::topic_partition tp{"orders", 0};
  kafka::group_client client{{{"bootstrap.servers", cluster.bootstrap_servers()}}, "app", 1s};
  REQUIRE(client.commit({{tp, {10, "first"}}}, clock::now() + 10s));

  cluster.broker_down(2); // the group's coordinator
  auto started = clock::now();
  auto written = client.commit({{tp, {20, "late"}}}, started + 1s);
  REQUIRE_FALSE(written);
  CHECK(written.error().code == ec::timed_out);
  CHECK(clock::now() - started < 10s); // not held until the coordinator is back
  CHECK_FALSE(client.usable());

  cluster.broker_up(2);
  CHECK(commit_after(cluster.bootstrap_servers(), "app", tp, 10, 5s) == 10);
}

TEST_CASE("a write through the helper not answered in time kills the helper and does not land "
          "when the coordinator comes back",
          "[offset-mapping][committer][helper]") {
  kafka::mock_cluster cluster{3};
  cluster.create_topic("orders", 1);
  REQUIRE(rd_kafka_mock_coordinator_set(cluster.native(), "group", "app", 2) == 0);
  const kafka::topic_partition tp{"orders", 0};
  auto path = kafka::find_group_offsets_helper();
  REQUIRE(path);
  kafka::group_offsets_helper helper{{{"bootstrap.servers", cluster.bootstrap_servers()}}, *path};
  REQUIRE(helper.commit("app", {{tp, {10, "first"}}}, clock::now() + 10s));

  cluster.broker_down(2); // the group's coordinator
  auto started = clock::now();
  auto written = helper.commit("app", {{tp, {20, "late"}}}, started + 1s);
  REQUIRE_FALSE(written);
  CHECK_THAT(written.error().message, Catch::Contains("abandoned"));
  CHECK(clock::now() - started < 10s);
  CHECK_FALSE(helper.helper_pid()); // killed and reaped before commit() returned

  cluster.broker_up(2);
  CHECK(commit_after(cluster.bootstrap_servers(), "app", tp, 10, 5s) == 10);
  // The next request starts a new helper and goes through.
  REQUIRE(helper.commit("app", {{tp, {30, "next"}}}, clock::now() + 10s));
  CHECK(committed(cluster.bootstrap_servers(), "app", tp) == 30);
  CHECK(helper.started() == 2);
}

TEST_CASE("the committer writes only for mapping partitions this worker holds a lease on",
          "[offset-mapping][committer]") {
  kafka::mock_cluster cluster{1};
  cluster.create_topic("orders", 2);
  auto cfg = pipeline(cluster.bootstrap_servers(), cluster.bootstrap_servers(), "[orders]", "");
  caf::actor_system_config system_cfg;
  offset_mapping::add_message_types(system_cfg);
  caf::actor_system system{system_cfg};
  auto fence = std::make_shared<offset_mapping::write_fence>(0s);
  fence->grant(0);
  auto committer = system.spawn<caf::detached>(
      offset_mapping::committer, cfg, std::make_shared<offset_mapping::service_counters>(), fence,
      kafka::find_group_offsets_helper().value_or_throw());
  caf::scoped_actor self{system};
  auto commit = [&](std::vector<offset_mapping::commit_entry> entries) {
    offset_mapping::commit_report report;
    self->request(committer, 30s, offset_mapping::commit_atom::value, std::string{"app"},
                  std::move(entries))
        .receive([&](const offset_mapping::commit_report& r) { report = r; },
                 [&](const caf::error& e) { FAIL(system.render(e)); });
    return report;
  };
  const auto bootstrap = cluster.bootstrap_servers();

  // orders[0]'s mappings are in mapping partition 0 (leased), orders[1]'s in 1 (not).
  auto report = commit({{"orders", 0, 7, 5, 0, 3}, {"orders", 1, 9, 6, 1, 4}});
  CHECK(report.written == 1);
  CHECK(report.not_leased == 1);
  CHECK(committed(bootstrap, "app", {"orders", 0}) == 7);
  CHECK(committed(bootstrap, "app", {"orders", 1}) == std::nullopt);

  fence->revoke(0); // released, or lost with the session: no more writes for it
  report = commit({{"orders", 0, 8, 6, 0, 5}});
  CHECK(report.written == 0);
  CHECK(report.not_leased == 1);
  CHECK(committed(bootstrap, "app", {"orders", 0}) == 7);
  caf::anon_send_exit(committer, caf::exit_reason::user_shutdown);
}
