// The embedding API: both services spawned into the test's own actor system, their status
// read with typed messages, stopped with stop_atom.
#include "support/replication_fixture.hpp"

#include "kafka/admin.hpp"
#include "kafka/group_offsets.hpp"

#include <k2k/k2k.hpp>

#include <caf/all.hpp>
#include <catch2/catch.hpp>

using namespace k2k;
using namespace k2k::test;
using namespace std::chrono_literals;

namespace {

// Asks `actor` for its status until `done` holds or a minute passes, at most ten times a
// second; returns the last status.
template <class Status, class Handle, class Predicate>
Status await_status(caf::scoped_actor& self, const Handle& actor, Predicate done) {
  Status last;
  auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < deadline) {
    self->request(actor, caf::infinite, status_atom::value)
        .receive([&](const Status& s) { last = s; },
                 [&](caf::error& e) { FAIL("status: " << caf::to_string(e)); });
    if (done(last))
      break;
    self->receive(caf::after(100ms) >> [] {}); // pace the polling; the condition decides
  }
  return last;
}

} // namespace

TEST_CASE("replicator and offset-mapping actors run inside the caller's actor system",
          "[embedding]") {
  two_clusters c;
  create_on_both(c, "orders", 1);
  c.target.create_topic("__k2k_offset_mappings", 2);
  produce(c.source.bootstrap_servers(), "orders", 0, numbered_records(60));
  auto admin = kafka::make_admin_client({{"bootstrap.servers", c.source.bootstrap_servers()}});
  REQUIRE(kafka::alter_group_offsets(admin.get(), "app", {{{"orders", 0}, {25, ""}}}, 10s));
  auto cfg = pipeline(c, "[orders]",
                      "offsetMapping: {partitions: 2}\n"
                      "groups: {consumerGroups: [app], pollInterval: 250ms}\n");

  caf::actor_system_config system_cfg;
  add_message_types(system_cfg);
  caf::actor_system system{system_cfg};
  auto replicator = spawn_replicator(system, cfg);
  auto offsets = spawn_offset_mapping(system, cfg);
  caf::scoped_actor self{system};

  auto replicated = await_status<replicator_status>(
      self, replicator, [](const replicator_status& s) { return s.records == 60; });
  CHECK(replicated.state == "running");
  CHECK(replicated.records == 60);
  auto translated = await_status<offset_mapping_status>(
      self, offsets, [](const offset_mapping_status& s) { return s.commits_written >= 1; });
  CHECK(translated.ready);
  CHECK(translated.commits_written >= 1);
  // The commit is really on target, where the copy of source offset 25 is (no prior data).
  auto target_admin =
      kafka::make_admin_client({{"bootstrap.servers", c.target.bootstrap_servers()}});
  auto committed = kafka::list_group_offsets(target_admin.get(), "app", {{"orders", 0}}, 10s);
  REQUIRE(committed);
  CHECK(committed->at({"orders", 0}).offset == 25);

  for (const caf::actor& a :
       {caf::actor_cast<caf::actor>(replicator), caf::actor_cast<caf::actor>(offsets)}) {
    bool stopped = false;
    self->request(a, caf::infinite, stop_atom::value)
        .receive([&](bool ok) { stopped = ok; },
                 [&](caf::error& e) { FAIL("stop: " << caf::to_string(e)); });
    CHECK(stopped);
  }
}
