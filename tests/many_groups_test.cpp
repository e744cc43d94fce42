// Thousands of consumer groups on one worker (groups.offsetClients: shared): every
// group-partition exact, and the worker's threads do not grow with the number of groups.
#include "support/replication_fixture.hpp"
#include "support/service_fixture.hpp"

#include "kafka/admin.hpp"
#include "kafka/group_offsets.hpp"
#include "kafka/group_offsets_helper.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace k2k;
using namespace k2k::test;
using namespace std::chrono_literals;

namespace {

size_t threads_of_this_process() {
  size_t n = 0;
  for ([[maybe_unused]] const auto& task : std::filesystem::directory_iterator("/proc/self/task"))
    ++n;
  return n;
}

std::string group_name(int g) {
  return "app-" + std::to_string(g);
}

// Spread positions, the log start and end included.
int64_t source_commit(int g, int p, int64_t end) {
  return (g * 7 + p * 13) % (end + 1);
}

} // namespace

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
  // The groups' source commits, written through one helper (many groups, one client).
  kafka::group_offsets_helper source_groups{{{"bootstrap.servers", c.source.bootstrap_servers()}},
                                            kafka::find_group_offsets_helper().value_or_throw()};
  std::string names;
  for (int g = 0; g < groups; ++g) {
    std::map<kafka::topic_partition, kafka::committed_offset> commits;
    for (int p = 0; p < partitions; ++p)
      commits[{"orders", p}] = {source_commit(g, p, records), ""};
    REQUIRE(source_groups.commit(group_name(g), commits, std::chrono::steady_clock::now() + 10s));
    names += (g ? ", " : "") + group_name(g);
  }

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

  std::map<int32_t, core::copy_log> copies;
  for (int p = 0; p < partitions; ++p)
    copies.emplace(p, copies_on_target(c.target.bootstrap_servers(), "orders", p));
  kafka::group_offsets_helper target_groups{{{"bootstrap.servers", c.target.bootstrap_servers()}},
                                            kafka::find_group_offsets_helper().value_or_throw()};
  std::vector<kafka::topic_partition> all;
  for (int p = 0; p < partitions; ++p)
    all.emplace_back("orders", p);
  int exact = 0;
  for (int g = 0; g < groups; ++g) {
    auto on_target =
        target_groups.committed(group_name(g), all, std::chrono::steady_clock::now() + 10s);
    REQUIRE(on_target);
    for (int p = 0; p < partitions; ++p) {
      auto s = source_commit(g, p, records);
      auto it = on_target->find({"orders", p});
      if (it != on_target->end() &&
          it->second.offset == copies.at(p).resume_at(s, records).value_or(-2))
        ++exact;
      else
        FAIL_CHECK(group_name(g) << " orders[" << p << "] source " << s << " not exact");
    }
  }
  CHECK(exact == groups * partitions);
}
