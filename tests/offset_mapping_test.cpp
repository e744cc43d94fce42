// The offset-mapping service end to end: the real replicator, the service's actors in the
// test's own actor system, and target commits checked against the ground truth read from
// the target records' k2k_offset headers.
#include "support/http_get.hpp"
#include "support/replication_fixture.hpp"
#include "support/service_fixture.hpp"

#include "core/decimal.hpp"
#include "core/guard.hpp"
#include "kafka/admin.hpp"
#include "kafka/client.hpp"
#include "kafka/group_offsets.hpp"
#include "kafka/headers.hpp"
#include "observability/http_endpoint.hpp"
#include "observability/service_metrics.hpp"
#include "offset_mapping/scheduler_tuning.hpp"
#include "offset_mapping/service.hpp"

#include <caf/all.hpp>
#include <catch2/catch.hpp>

using namespace k2k;
using namespace k2k::test;
using namespace std::chrono_literals;

namespace {

const std::string mapping_topic = "__k2k_offset_mappings";

// Where a consumer that committed S on source must resume on target (core/ground_truth.hpp),
// from the target records' headers; -1 when that cannot be known.
int64_t ground_truth(const two_clusters& c, const std::string& topic, int32_t p, int64_t s) {
  return copies_on_target(c.target.bootstrap_servers(), topic, p).resume_at(s).value_or(-1);
}

std::map<kafka::topic_partition, kafka::committed_offset>
offsets(const std::string& bootstrap, const std::string& group, int partitions) {
  auto admin = kafka::make_admin_client({{"bootstrap.servers", bootstrap}});
  std::vector<kafka::topic_partition> tps;
  for (int p = 0; p < partitions; ++p)
    tps.emplace_back("orders", p);
  auto r = kafka::list_group_offsets(admin.get(), group, tps, 10s);
  REQUIRE(r);
  return *r;
}

void commit(const std::string& bootstrap, const std::string& group,
            std::map<kafka::topic_partition, kafka::committed_offset> o) {
  auto admin = kafka::make_admin_client({{"bootstrap.servers", bootstrap}});
  REQUIRE(kafka::alter_group_offsets(admin.get(), group, o, 10s));
}

} // namespace

TEST_CASE("group offsets are translated exactly, beyond replication stays pending until it "
          "is replicated, foreign commits are left alone",
          "[offset-mapping]") {
  two_clusters c;
  create_on_both(c, "orders", 2);
  c.target.create_topic(mapping_topic, 2);
  produce(c.target.bootstrap_servers(), "orders", 0, numbered_records(9, 900));
  produce(c.target.bootstrap_servers(), "orders", 1, numbered_records(4, 900));
  for (int32_t p = 0; p < 2; ++p)
    produce(c.source.bootstrap_servers(), "orders", p, numbered_records(100));

  const auto src = c.source.bootstrap_servers();
  commit(src, "g-zero", {{{"orders", 0}, {0, ""}}, {{"orders", 1}, {0, ""}}});
  commit(src, "g-mid", {{{"orders", 0}, {37, ""}}, {{"orders", 1}, {63, ""}}});
  commit(src, "g-end", {{{"orders", 0}, {100, ""}}, {{"orders", 1}, {100, ""}}});
  commit(src, "g-beyond", {{{"orders", 0}, {150, ""}}, {{"orders", 1}, {50, ""}}});
  commit(src, "g-foreign", {{{"orders", 0}, {50, ""}}});
  commit(c.target.bootstrap_servers(), "g-foreign", {{{"orders", 0}, {3, "app-owned"}}});

  auto cfg = pipeline(c, "[orders]",
                      "offsetMapping: {partitions: 2}\n"
                      "groups: {consumerGroups: [g-zero, g-mid, g-end, g-beyond, g-foreign], "
                      "pollInterval: 250ms}\n");
  running_worker replicator{cfg};
  service_fixture om{cfg};
  REQUIRE(om.wait_for([](const auto& n) {
    return n.commits_written >= 7 && n.pending >= 1 && n.skipped_foreign >= 1;
  }));

  const std::map<std::string, std::map<int32_t, int64_t>> source_commits{
      {"g-zero", {{0, 0}, {1, 0}}},
      {"g-mid", {{0, 37}, {1, 63}}},
      {"g-end", {{0, 100}, {1, 100}}},
      {"g-beyond", {{1, 50}}}};
  for (const auto& [group, commits] : source_commits) {
    auto on_target = offsets(c.target.bootstrap_servers(), group, 2);
    for (const auto& [p, s] : commits) {
      INFO(group << " orders[" << p << "] source offset " << s);
      REQUIRE(on_target.count({"orders", p}));
      const auto& committed = on_target.at({"orders", p});
      CHECK(committed.offset == ground_truth(c, "orders", p, s));
      auto version = core::parse_guard_metadata("k2k_", committed.metadata);
      REQUIRE(version);
      CHECK(version->source.value == s);
    }
  }
  // 150 is beyond what was replicated: no guess was committed.
  CHECK_FALSE(offsets(c.target.bootstrap_servers(), "g-beyond", 2).count({"orders", 0}));
  // The foreign commit is untouched.
  auto foreign = offsets(c.target.bootstrap_servers(), "g-foreign", 1).at({"orders", 0});
  CHECK(foreign.offset == 3);
  CHECK(foreign.metadata == "app-owned");

  // Once the source has (and the replicator copied) offset 150, the pending one is exact.
  produce(src, "orders", 0, numbered_records(60, 100));
  REQUIRE(om.wait_for([&](const auto&) {
    return offsets(c.target.bootstrap_servers(), "g-beyond", 2).count({"orders", 0}) > 0;
  }));
  CHECK(offsets(c.target.bootstrap_servers(), "g-beyond", 2).at({"orders", 0}).offset ==
        ground_truth(c, "orders", 0, 150));
}

TEST_CASE("a commit beyond replication is translated as soon as its records are replicated "
          "not at the next poll",
          "[offset-mapping]") {
  two_clusters c;
  create_on_both(c, "orders", 1);
  c.target.create_topic(mapping_topic, 1);
  const auto src = c.source.bootstrap_servers();
  produce(src, "orders", 0, numbered_records(100));
  commit(src, "g-head", {{{"orders", 0}, {150, ""}}});

  // A poll interval of an hour: only the wake from the partition's mappings can translate
  // the commit within the test's time.
  auto cfg = pipeline(c, "[orders]",
                      "offsetMapping: {partitions: 1}\n"
                      "groups: {consumerGroups: [g-head], pollInterval: 1h}\n");
  running_worker replicator{cfg};
  REQUIRE(replicator.wait_for_status([](const auto& s) { return s.records >= 100; }));
  service_fixture om{cfg};
  REQUIRE(om.wait_for([](const auto& n) { return n.pending >= 1; }));
  CHECK_FALSE(offsets(c.target.bootstrap_servers(), "g-head", 1).count({"orders", 0}));

  produce(src, "orders", 0, numbered_records(60, 100)); // the consumer's records arrive
  REQUIRE(om.wait_for([](const auto& n) { return n.commits_written >= 1; }));
  CHECK(offsets(c.target.bootstrap_servers(), "g-head", 1).at({"orders", 0}).offset ==
        ground_truth(c, "orders", 0, 150));
}

TEST_CASE("a consumer resuming on target reads exactly what it had not read on source",
          "[offset-mapping]") {
  two_clusters c;
  create_on_both(c, "orders", 2);
  c.target.create_topic(mapping_topic, 2);
  produce(c.target.bootstrap_servers(), "orders", 1, numbered_records(11, 900));
  for (int32_t p = 0; p < 2; ++p)
    produce(c.source.bootstrap_servers(), "orders", p, numbered_records(80));
  commit(c.source.bootstrap_servers(), "app",
         {{{"orders", 0}, {25, ""}}, {{"orders", 1}, {61, ""}}});

  auto cfg = pipeline(c, "[orders]",
                      "offsetMapping: {partitions: 2}\n"
                      "groups: {consumerGroups: [app], pollInterval: 250ms}\n");
  running_worker replicator{cfg};
  {
    service_fixture om{cfg};
    REQUIRE(om.wait_for([](const auto& n) { return n.commits_written >= 2; }));
  }
  // The application moves to target: a real group consumer, from the translated commits.
  auto consumer = kafka::make_consumer({{"bootstrap.servers", c.target.bootstrap_servers()},
                                        {"group.id", "app"},
                                        {"auto.offset.reset", "latest"}});
  kafka::topic_partition_list_ptr topics{rd_kafka_topic_partition_list_new(1)};
  rd_kafka_topic_partition_list_add(topics.get(), "orders", RD_KAFKA_PARTITION_UA);
  rd_kafka_subscribe(consumer.get(), topics.get());
  std::map<int32_t, std::vector<int64_t>> read;
  auto deadline = std::chrono::steady_clock::now() + 60s;
  auto done = [&] { return read[0].size() >= 55 && read[1].size() >= 19; };
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    kafka::message_ptr m{rd_kafka_consumer_poll(consumer.get(), 200)};
    if (!m || m->err)
      continue;
    auto source = kafka::header_value(*m, "k2k_offset");
    REQUIRE(source);
    read[m->partition].push_back(*core::parse_decimal(*source));
  }
  std::vector<int64_t> expected0, expected1;
  for (int64_t s = 25; s < 80; ++s)
    expected0.push_back(s);
  for (int64_t s = 61; s < 80; ++s)
    expected1.push_back(s);
  CHECK(read[0] == expected0); // zero duplicates, zero skips
  CHECK(read[1] == expected1);
}

namespace {

// Translates group g at source offset 60, then feeds the service the older offset 30 (a
// stale view of the source group); returns the target commit of orders[0] afterwards and
// the commit made from 60.
std::pair<int64_t, int64_t> rewind_scenario(bool guard) {
  two_clusters c;
  create_on_both(c, "orders", 1);
  c.target.create_topic(mapping_topic, 1);
  produce(c.source.bootstrap_servers(), "orders", 0, numbered_records(100));
  commit(c.source.bootstrap_servers(), "g", {{{"orders", 0}, {60, ""}}});
  auto cfg = pipeline(c, "[orders]",
                      std::string{"offsetMapping: {partitions: 1}\n"
                                  "groups: {consumerGroups: [g], pollInterval: 250ms}\n"
                                  "features: {applyMappingsGuard: "} +
                          (guard ? "enabled" : "disabled") + "}\n");
  running_worker replicator{cfg};
  service_fixture om{cfg};
  REQUIRE(om.wait_for([](const auto& n) { return n.commits_written >= 1; }));
  auto from_60 = offsets(c.target.bootstrap_servers(), "g", 1).at({"orders", 0}).offset;
  commit(c.source.bootstrap_servers(), "g", {{{"orders", 0}, {30, ""}}});
  // Two full cycles after the stale offset was visible.
  auto cycles = om.service->counters()->cycles.load();
  REQUIRE(om.wait_for([&](const auto& n) { return n.cycles >= cycles + 3; }));
  return {offsets(c.target.bootstrap_servers(), "g", 1).at({"orders", 0}).offset, from_60};
}

} // namespace

TEST_CASE("rewind protection: an older source offset never moves a target commit back",
          "[offset-mapping][guard]") {
  auto [now, from_60] = rewind_scenario(true);
  CHECK(now == from_60);
}

TEST_CASE("rewind protection off: the same scenario does move it back (proves the test)",
          "[offset-mapping][guard]") {
  auto [now, from_60] = rewind_scenario(false);
  CHECK(now < from_60);
}

TEST_CASE("a group with live members on target is never written", "[offset-mapping]") {
  two_clusters c;
  create_on_both(c, "orders", 1);
  c.target.create_topic(mapping_topic, 1);
  produce(c.source.bootstrap_servers(), "orders", 0, numbered_records(20));
  produce(c.target.bootstrap_servers(), "orders", 0, numbered_records(5, 900));
  commit(c.source.bootstrap_servers(), "live", {{{"orders", 0}, {10, ""}}});
  // A member of "live" runs on target and has consumed (so the group is active). It commits
  // nothing, so it is the broker's live-member check, not the guard, that must stop k2k.
  auto member = live_member(c.target.bootstrap_servers(), "live", "orders",
                            {{"enable.auto.commit", "false"}});

  auto cfg = pipeline(c, "[orders]",
                      "offsetMapping: {partitions: 1}\n"
                      "groups: {consumerGroups: [live], pollInterval: 250ms}\n");
  running_worker replicator{cfg};
  service_fixture om{cfg};
  auto seen = om.wait_for([&](const auto& n) {
    kafka::message_ptr keep_alive{rd_kafka_consumer_poll(member.get(), 0)};
    return n.active_group >= 2;
  });
  const auto& n = *om.service->counters();
  INFO("written " << n.commits_written << " active " << n.active_group << " errors " << n.errors
                  << " pending " << n.pending << " translated " << n.translated);
  REQUIRE(seen);
  CHECK(om.service->counters()->commits_written == 0);
  CHECK(offsets(c.target.bootstrap_servers(), "live", 1).empty());
}

TEST_CASE("two workers split the mapping partitions, and when one stops the other takes over",
          "[offset-mapping][scaling]") {
  two_clusters c;
  create_on_both(c, "orders", 4);
  c.target.create_topic(mapping_topic, 2);
  for (int32_t p = 0; p < 4; ++p)
    produce(c.source.bootstrap_servers(), "orders", p, numbered_records(50));
  auto commit_all = [&](int64_t s) {
    std::map<kafka::topic_partition, kafka::committed_offset> o;
    for (int32_t p = 0; p < 4; ++p)
      o[{"orders", p}] = {s, ""};
    commit(c.source.bootstrap_servers(), "app", o);
  };
  commit_all(20);
  auto cfg = pipeline(c, "[orders]",
                      "offsetMapping: {partitions: 2}\n"
                      "groups: {consumerGroups: [app], pollInterval: 250ms}\n");
  cfg.target.kafka.consumer["session.timeout.ms"] = "6000";
  running_worker replicator{cfg};
  auto first = std::make_unique<service_fixture>(cfg);
  service_fixture second{cfg};
  auto translated_everywhere = [&](int64_t s) {
    auto on_target = offsets(c.target.bootstrap_servers(), "app", 4);
    for (int32_t p = 0; p < 4; ++p) {
      auto it = on_target.find({"orders", p});
      if (it == on_target.end())
        return false;
      auto v = core::parse_guard_metadata("k2k_", it->second.metadata);
      if (!v || v->source.value != s)
        return false;
    }
    return true;
  };
  REQUIRE(second.wait_for([&](const auto&) { return translated_everywhere(20); }));
  // Both workers took part: each owns one mapping partition.
  CHECK(first->service->counters()->commits_written > 0);
  CHECK(second.service->counters()->commits_written > 0);
  auto before = offsets(c.target.bootstrap_servers(), "app", 4);

  first.reset(); // stops: its mapping partition moves to the second worker
  commit_all(45);
  REQUIRE(second.wait_for([&](const auto&) { return translated_everywhere(45); }));
  auto after = offsets(c.target.bootstrap_servers(), "app", 4);
  for (int32_t p = 0; p < 4; ++p) {
    INFO("orders[" << p << "]");
    CHECK(after.at({"orders", p}).offset > before.at({"orders", p}).offset);
    CHECK(after.at({"orders", p}).offset == ground_truth(c, "orders", p, 45));
  }
}

TEST_CASE("a mapping partition whose end cannot be read at assignment is read again and "
          "then translated",
          "[offset-mapping]") {
  // On real brokers: the leader of a mapping partition was killed as a worker was assigned
  // it. Its end stayed unknown and its groups were never translated again (found by the
  // reliability suite on 3-broker clusters).
  two_clusters c;
  create_on_both(c, "orders", 1);
  c.target.create_topic(mapping_topic, 1);
  produce(c.source.bootstrap_servers(), "orders", 0, numbered_records(30));
  auto cfg = pipeline(c, "[orders]",
                      "offsetMapping: {partitions: 1}\n"
                      "groups: {consumerGroups: [app], pollInterval: 250ms}\n");
  {
    running_worker replicator{cfg};
    REQUIRE(replicator.wait_for_status([](const auto& s) { return s.records >= 30; }));
  } // stopped: no mapping record arrives later to tell the service where the end is
  commit(c.source.bootstrap_servers(), "app", {{{"orders", 0}, {12, ""}}});
  // The service's first ListOffsets (the end of its mapping partition at assignment) fails,
  // and so do the next few.
  c.target.push_request_errors(
      kafka::api_key::list_offsets,
      std::vector<rd_kafka_resp_err_t>(4, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION));
  service_fixture om{cfg};
  REQUIRE(om.wait_for([](const auto& n) { return n.commits_written >= 1; }, 30s));
  CHECK(om.service->counters()->mapping_loading == 0);
  CHECK(offsets(c.target.bootstrap_servers(), "app", 1).at({"orders", 0}).offset ==
        ground_truth(c, "orders", 0, 12));
}

TEST_CASE("index retention: offsets in dropped runs translate to the first kept record",
          "[offset-mapping]") {
  two_clusters c;
  create_on_both(c, "orders", 1);
  c.target.create_topic(mapping_topic, 1);
  auto cfg = pipeline(c, "[orders]",
                      "offsetMapping: {partitions: 1, maxRunsPerPartition: 1}\n"
                      "groups: {consumerGroups: [g], pollInterval: 250ms}\n");
  running_worker replicator{cfg};
  //  source 0..9 -> target 0..9 | foreign record at 10 | source 10..19 -> target 11..20
  produce(c.source.bootstrap_servers(), "orders", 0, numbered_records(10));
  read_mappings(c.target.bootstrap_servers(), mapping_topic, 1, covers({{"orders/0", 10}}));
  produce(c.target.bootstrap_servers(), "orders", 0, numbered_records(1, 900));
  produce(c.source.bootstrap_servers(), "orders", 0, numbered_records(10, 10));
  read_mappings(c.target.bootstrap_servers(), mapping_topic, 1, covers({{"orders/0", 20}}));
  commit(c.source.bootstrap_servers(), "g", {{{"orders", 0}, {3, ""}}});
  service_fixture om{cfg};
  REQUIRE(om.wait_for([](const auto& n) { return n.commits_written >= 1; }));
  // Only the newest run (10..19 -> 11..20) is kept: 3 lies below it.
  CHECK(offsets(c.target.bootstrap_servers(), "g", 1).at({"orders", 0}).offset == 11);
  CHECK(ground_truth(c, "orders", 0, 3) == 3); // what an unbounded index would commit
}

TEST_CASE("the service's /metrics and /health over HTTP follow ingest and commits",
          "[offset-mapping][metrics]") {
  two_clusters c;
  create_on_both(c, "orders", 1);
  c.target.create_topic(mapping_topic, 2);
  produce(c.source.bootstrap_servers(), "orders", 0, numbered_records(40));
  commit(c.source.bootstrap_servers(), "app", {{{"orders", 0}, {25, ""}}});
  auto cfg = pipeline(c, "[orders]",
                      "offsetMapping: {partitions: 2}\n"
                      "groups: {consumerGroups: [app], pollInterval: 250ms}\n");
  service_fixture om{cfg};
  const auto& counters = *om.service->counters();
  observability::http_endpoint endpoint{
      "127.0.0.1:0",
      {[&] { return observability::offset_mapping_metrics(counters, cfg.name); },
       [&] { return observability::offset_mapping_health(counters); }}};
  const std::string written = "k2k_commits_total{pipeline=\"test-pipeline\",result=\"written\"}";
  CHECK(sample(http_get(endpoint.port(), "/metrics").body, written) == 0.0);

  running_worker replicator{cfg};
  REQUIRE(om.wait_for([](const auto& n) { return n.commits_written >= 1; }));
  auto metrics = http_get(endpoint.port(), "/metrics").body;
  CHECK(sample(metrics, written) >= 1.0);
  CHECK(sample(metrics, "k2k_mappings_ingested_total{pipeline=\"test-pipeline\"}") >= 1.0);
  CHECK(sample(metrics, "k2k_translations_total{pipeline=\"test-pipeline\",outcome="
                        "\"translated\"}") >= 1.0);
  CHECK(sample(metrics, "k2k_mapping_partitions_loading{pipeline=\"test-pipeline\"}") == 0.0);
  for (const auto* actor : {"committer", "partition_mapping_max"})
    CHECK(sample(metrics, std::string{"k2k_actor_mailbox_messages{pipeline=\"test-pipeline\","
                                      "actor=\""} +
                              actor + "\"}")
              .has_value());
  auto health = http_get(endpoint.port(), "/health");
  CHECK(health.status == 200);
  CHECK_THAT(health.body, Catch::Contains("mapping partition(s)"));
}

TEST_CASE("poison mapping records and garbage commit metadata: counted, skipped, the service "
          "keeps translating",
          "[offset-mapping][bad-input]") {
  two_clusters c;
  create_on_both(c, "orders", 1);
  c.target.create_topic(mapping_topic, 1);
  // Undecodable records in the mapping topic ahead of the real ones: random bytes, a
  // truncated header, an unknown format version.
  test_record garbage{"orders/0", std::string("\x01\x00\x06ord", 6), {}};
  test_record unknown_version{"orders/0", std::string("\x09\x00\x06orders", 9), {}};
  test_record random_bytes{"orders/0", "\xff\xfe not a mapping", {}};
  produce(c.target.bootstrap_servers(), mapping_topic, 0, {garbage, unknown_version, random_bytes});
  produce(c.source.bootstrap_servers(), "orders", 0, numbered_records(40));
  commit(c.source.bootstrap_servers(), "app", {{{"orders", 0}, {25, ""}}});
  commit(c.source.bootstrap_servers(), "mangled", {{{"orders", 0}, {30, ""}}});
  // A commit on target whose metadata carries our prefix but is not a version we wrote.
  commit(c.target.bootstrap_servers(), "mangled", {{{"orders", 0}, {3, "k2k_v1;src=x;map=?"}}});

  auto cfg = pipeline(c, "[orders]",
                      "offsetMapping: {partitions: 1}\n"
                      "groups: {consumerGroups: [app, mangled], pollInterval: 250ms}\n");
  running_worker replicator{cfg};
  service_fixture om{cfg};
  REQUIRE(om.wait_for([](const auto& n) {
    return n.poison_records >= 3 && n.commits_written >= 1 && n.skipped_foreign >= 1;
  }));
  CHECK(om.service->counters()->poison_records == 3);
  CHECK(offsets(c.target.bootstrap_servers(), "app", 1).at({"orders", 0}).offset ==
        ground_truth(c, "orders", 0, 25));
  // garbage metadata is somebody else's: never overwritten
  auto mangled = offsets(c.target.bootstrap_servers(), "mangled", 1).at({"orders", 0});
  CHECK(mangled.offset == 3);
  CHECK(mangled.metadata == "k2k_v1;src=x;map=?");
}

namespace {

// Two pipelines (two replicator configs with different names) both copy orders[0] onto the
// same target partition, one after the other, so every source offset has two copies at
// different target offsets. Returns the service's counters after it has seen the conflict,
// and the target commit of group g (-1: none).
struct two_pipelines_outcome {
  uint64_t conflicts = 0, written = 0;
  int64_t commit = -1;
  std::optional<std::string> committed_copy_pipeline;
  std::optional<int64_t> committed_copy_source;
};

two_pipelines_outcome two_pipelines(const std::string& policy) {
  two_clusters c;
  create_on_both(c, "orders", 1);
  c.target.create_topic(mapping_topic, 1);
  produce(c.source.bootstrap_servers(), "orders", 0, numbered_records(50));
  commit(c.source.bootstrap_servers(), "g", {{{"orders", 0}, {20, ""}}});
  auto cfg = pipeline(c, "[orders]",
                      "offsetMapping: {partitions: 1}\n"
                      "groups: {consumerGroups: [g], pollInterval: 250ms}\n"
                      "errorHandling: {onMultipleTargetCommittedOffsets: " +
                          policy + "}\n");
  for (const auto* name : {"first", "second"}) {
    auto each = cfg;
    each.name = name;
    running_worker replicator{each};
    REQUIRE(replicator.wait_for_status(
        [](const auto& s) { return s.records >= 50 && s.in_flight == 0 && s.mappings >= 1; }));
  } // each stops gracefully: its last mapping is published
  service_fixture om{cfg};
  two_pipelines_outcome out;
  REQUIRE(om.wait_for([&](const auto& n) {
    return n.multiple_target_offsets >= 2 && (policy == "fail" || n.commits_written >= 1);
  }));
  out.conflicts = om.service->counters()->multiple_target_offsets;
  out.written = om.service->counters()->commits_written;
  auto on_target = offsets(c.target.bootstrap_servers(), "g", 1);
  if (auto it = on_target.find({"orders", 0}); it != on_target.end()) {
    out.commit = it->second.offset;
    auto at = consume(c.target.bootstrap_servers(), "orders", 0, out.commit, out.commit + 1);
    REQUIRE(at.size() == 1);
    out.committed_copy_pipeline = header(at[0], "k2k_pipeline");
    if (auto s = header(at[0], "k2k_offset"))
      out.committed_copy_source = core::parse_decimal(*s);
  }
  return out;
}

} // namespace

TEST_CASE("two pipelines map one source offset to different target offsets: with fail nothing "
          "is committed",
          "[offset-mapping][multiple]") {
  auto out = two_pipelines("fail");
  CHECK(out.conflicts >= 2);
  CHECK(out.written == 0);
  CHECK(out.commit == -1);
}

TEST_CASE("two pipelines map one source offset to different target offsets: with ignore the "
          "newest mapping is committed",
          "[offset-mapping][multiple]") {
  auto out = two_pipelines("ignore");
  CHECK(out.conflicts >= 2);
  CHECK(out.written >= 1);
  // The second pipeline replicated last: its copy of source offset 20.
  CHECK(out.committed_copy_pipeline == std::optional<std::string>{"second"});
  CHECK(out.committed_copy_source == std::optional<int64_t>{20});
}

TEST_CASE("sourceCommits consumer-offsets fails the start clearly where __consumer_offsets "
          "cannot be read, auto falls back to polling",
          "[offset-mapping][source-commits]") {
  two_clusters c; // the mock has no __consumer_offsets
  create_on_both(c, "orders", 1);
  c.target.create_topic(mapping_topic, 1);
  auto strict =
      pipeline(c, "[orders]", "groups: {consumerGroups: [app], sourceCommits: consumer-offsets}\n");
  CHECK_THROWS_WITH(service_fixture{strict},
                    Catch::StartsWith("groups.sourceCommits is consumer-offsets, but the source "
                                      "has no __consumer_offsets topic this principal may read"));
  service_fixture fallback{pipeline(c, "[orders]", "groups: {consumerGroups: [app]}\n")};
  CHECK(fallback.service->counters()->groups == 1);
  CHECK(fallback.service->counters()->source_commit_groups == 0);
}
