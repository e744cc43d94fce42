// Thousands of consumer groups on one worker (groups.offsetClients: shared): every
// group-partition exact, and the worker's threads do not grow with the number of groups.
#include "support/many_groups.hpp"
#include "support/replication_fixture.hpp"
#include "support/service_fixture.hpp"

#include <catch2/catch.hpp>

using namespace k2k;
using namespace k2k::test;
using namespace std::chrono_literals;

TEST_CASE("2000 groups are translated exactly by one worker whose threads stay bounded",
          "[offset-mapping][many-groups]") {
  constexpr int groups = 2000;
  constexpr int partitions = 8;
  constexpr int64_t records = 100;
  two_clusters c;
  create_on_both(c, "orders", partitions);
  c.target.create_topic("__k2k_offset_mappings", 2);
  for (int p = 0; p < partitions; ++p) {
    produce(c.target.bootstrap_servers(), "orders", p, numbered_records(p + 3, 900)); // prior data
    produce(c.source.bootstrap_servers(), "orders", p, numbered_records(records));
  }
  commit_spread(c.source.bootstrap_servers(), "app", groups, "orders", partitions, records);
  std::string names;
  for (int g = 0; g < groups; ++g)
    names += (g ? ", " : "") + group_name("app", g);

  auto cfg = pipeline(c, "[orders]",
                      "offsetMapping: {partitions: 2}\n"
                      "groups: {consumerGroups: [" +
                          names + "], pollInterval: 1s}\n");
  REQUIRE(cfg.groups.offset_clients_kind == config::offset_clients::shared); // the default
  running_worker replicator{cfg};
  auto threads_before = threads_of_this_process();
  service_fixture om{cfg};
  REQUIRE(om.wait_for(
      [](const auto& n) { return n.commits_written >= uint64_t{groups} * partitions; }, 180s));
  auto threads_added = threads_of_this_process() - threads_before;
  INFO("threads added by the service: " << threads_added);
  // Scheduler, ingest, lanes: a fixed number (a consumer handle per group added ~5 each).
  CHECK(threads_added < 100);
  auto inexact = inexact_group_partitions(c.target.bootstrap_servers(), "app", groups, "orders",
                                          partitions, records);
  for (const auto& what : inexact)
    FAIL_CHECK(what);
  CHECK(inexact.empty());
}
