// k2k migrate against two mock clusters with the real replicator: positions found from the
// tracing headers alone (the mapping topic is off), checked against a full read of the
// target and against a real consumer resuming on target.
#include "support/replication_fixture.hpp"

#include "core/decimal.hpp"
#include "core/guard.hpp"
#include "kafka/admin.hpp"
#include "kafka/client.hpp"
#include "kafka/group_offsets.hpp"
#include "kafka/headers.hpp"
#include "migration/migrator.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <set>

using namespace k2k;
using namespace k2k::test;
using namespace std::chrono_literals;
using migration::partition_status;

namespace {

const std::string no_mappings = "features: {offsetMapping: disabled}\n";

// Waits until target `topic`[p] holds `count` records from offset `from` on (the replicator
// wrote them); consume() polls Kafka until then.
void await_target(const two_clusters& c, const std::string& topic, int32_t p, int64_t from,
                  int64_t count) {
  REQUIRE(
      int64_t(consume(c.target.bootstrap_servers(), topic, p, from, from + count, 60s).size()) ==
      count);
}

// orders[0] on both clusters with `records` records on source, all replicated by a worker
// that has stopped again; returns the worker's config.
config::pipeline_config replicated_orders(two_clusters& c, int records,
                                          const std::string& extra_yaml = no_mappings) {
  create_on_both(c, "orders", 1);
  produce(c.source.bootstrap_servers(), "orders", 0, numbered_records(records));
  auto cfg = pipeline(c, "[orders]", extra_yaml);
  running_worker replicator{cfg};
  await_target(c, "orders", 0, 0, records);
  return cfg;
}

void commit_on(const kafka::mock_cluster& cluster, const std::string& group,
               const std::map<kafka::topic_partition, int64_t>& offsets) {
  auto admin = kafka::make_admin_client({{"bootstrap.servers", cluster.bootstrap_servers()}});
  std::map<kafka::topic_partition, kafka::committed_offset> commits;
  for (const auto& [tp, o] : offsets)
    commits[tp] = {o, ""};
  auto written = kafka::alter_group_offsets(admin.get(), group, commits, 10s);
  if (!written)
    FAIL(written.error().message);
}

std::map<kafka::topic_partition, kafka::committed_offset>
commits_on(const kafka::mock_cluster& cluster, const std::string& group,
           const std::vector<kafka::topic_partition>& partitions) {
  auto admin = kafka::make_admin_client({{"bootstrap.servers", cluster.bootstrap_servers()}});
  auto read = kafka::list_group_offsets(admin.get(), group, partitions, 10s);
  REQUIRE(read);
  return *read;
}

// The source offsets (k2k_offset) of target topic[p], in target order.
// Where k2k migrate must put the group (core/ground_truth.hpp), from the target records.
int64_t ground_truth(const two_clusters& c, int32_t p, int64_t committed) {
  return copies_on_target(c.target.bootstrap_servers(), "orders", p).migrate_position(committed);
}

migration::migration_options options_for(const std::string& group) {
  migration::migration_options o;
  o.group = group;
  o.confirm_stopped = true; // the mock cannot describe groups
  o.settle_interval = 200ms;
  return o;
}

migration::migration_report migrate_ok(const config::pipeline_config& cfg,
                                       const migration::migration_options& o) {
  auto report = migration::migrate(cfg, o, [](const std::string&) {});
  if (!report)
    FAIL(report.error().message);
  return *report;
}

const migration::partition_row& row_of(const migration::migration_report& r, int32_t p) {
  for (const auto& row : r.rows)
    if (row.partition == p)
      return row;
  FAIL("no row for partition " << p);
  return r.rows.front();
}

// A consumer of `group` on target reading `topic` until it has reached every partition's
// end; returns the k2k_offset of every record it read, per partition.
std::map<int32_t, std::vector<int64_t>> resume_on_target(const two_clusters& c,
                                                         const std::string& group,
                                                         const std::string& topic, int partitions) {
  std::map<int32_t, int64_t> ends;
  for (int32_t p = 0; p < partitions; ++p)
    ends[p] = high_watermark(c.target.bootstrap_servers(), topic, p);
  auto consumer = kafka::make_consumer({{"bootstrap.servers", c.target.bootstrap_servers()},
                                        {"group.id", group},
                                        {"auto.offset.reset", "earliest"},
                                        {"enable.auto.commit", "false"},
                                        {"session.timeout.ms", "6000"}});
  kafka::topic_partition_list_ptr topics{rd_kafka_topic_partition_list_new(1)};
  rd_kafka_topic_partition_list_add(topics.get(), topic.c_str(), RD_KAFKA_PARTITION_UA);
  rd_kafka_subscribe(consumer.get(), topics.get());
  std::map<int32_t, std::vector<int64_t>> read;
  std::map<int32_t, int64_t> position;
  auto reached_ends = [&] {
    // the first record read tells where the group resumed; a partition with nothing left
    // to read is at its end once assigned
    kafka::topic_partition_list_ptr assigned;
    rd_kafka_topic_partition_list_t* raw = nullptr;
    if (rd_kafka_assignment(consumer.get(), &raw) || !raw)
      return false;
    assigned.reset(raw);
    if (assigned->cnt != partitions)
      return false;
    rd_kafka_position(consumer.get(), assigned.get());
    for (int i = 0; i < assigned->cnt; ++i) {
      auto p = assigned->elems[i].partition;
      auto pos = assigned->elems[i].offset;
      if (pos < 0) { // nothing fetched yet: use the committed offset
        auto committed = commits_on(c.target, group, {{topic, p}});
        pos = committed.count({topic, p}) ? committed.at({topic, p}).offset : 0;
      }
      if (pos < ends[p])
        return false;
    }
    return true;
  };
  auto deadline = std::chrono::steady_clock::now() + 60s;
  while (!reached_ends() && std::chrono::steady_clock::now() < deadline) {
    kafka::message_ptr m{rd_kafka_consumer_poll(consumer.get(), 200)};
    if (!m || m->err)
      continue;
    auto source = kafka::header_value(*m, "k2k_offset");
    read[m->partition].push_back(source ? *core::parse_decimal(*source) : -1);
  }
  rd_kafka_consumer_close(consumer.get());
  return read;
}

std::vector<int64_t> range(int64_t from, int64_t until) {
  std::vector<int64_t> out;
  for (int64_t s = from; s < until; ++s)
    out.push_back(s);
  return out;
}

} // namespace

TEST_CASE("divergent offsets: groups at 0, mid and end resume on target with nothing read twice "
          "or skipped",
          "[migration]") {
  two_clusters c;
  create_on_both(c, "orders", 3);
  // Unrelated records already on target: offsets diverge by 7 and 3.
  produce(c.target.bootstrap_servers(), "orders", 0, numbered_records(7, 9000));
  produce(c.target.bootstrap_servers(), "orders", 1, numbered_records(3, 9000));
  for (int32_t p = 0; p < 3; ++p)
    produce(c.source.bootstrap_servers(), "orders", p, numbered_records(200));
  auto cfg = pipeline(c, "[orders]", no_mappings);
  {
    running_worker replicator{cfg};
    await_target(c, "orders", 0, 7, 200);
    await_target(c, "orders", 1, 3, 200);
    await_target(c, "orders", 2, 0, 200);
  }
  commit_on(c.source, "app", {{{"orders", 0}, 0}, {{"orders", 1}, 117}, {{"orders", 2}, 200}});

  auto report = migrate_ok(cfg, options_for("app"));
  REQUIRE_FALSE(report.refusal);
  REQUIRE(report.committed);
  CHECK(report.stopped_check.find("unchanged") != std::string::npos);
  REQUIRE(report.rows.size() == 3);
  CHECK(row_of(report, 0).found == "exact");
  CHECK(row_of(report, 1).found == "exact");
  CHECK(row_of(report, 2).found == "after-last");

  auto commits = commits_on(c.target, "app", {{"orders", 0}, {"orders", 1}, {"orders", 2}});
  const std::map<int32_t, int64_t> committed_source{{0, 0}, {1, 117}, {2, 200}};
  for (const auto& [p, s] : committed_source) {
    INFO("orders[" << p << "]");
    auto truth = ground_truth(c, p, s);
    REQUIRE(commits.count({"orders", p}));
    CHECK(commits.at({"orders", p}).offset == truth);
    CHECK(row_of(report, p).target_offset == truth);
    // guard metadata, so the offset-mapping service treats it as an ordinary version
    auto version = core::parse_guard_metadata("k2k_", commits.at({"orders", p}).metadata);
    REQUIRE(version);
    CHECK(version->source.value == s);
  }
  CHECK(commits.at({"orders", 0}).offset == 7);
  CHECK(commits.at({"orders", 1}).offset == 120);
  CHECK(commits.at({"orders", 2}).offset == 200);

  // A real consumer on target reads exactly what the group had not read on source.
  auto read = resume_on_target(c, "app", "orders", 3);
  CHECK(read[0] == range(0, 200));
  CHECK(read[1] == range(117, 200));
  CHECK(read[2].empty());
}

TEST_CASE("a dry run commits nothing, and an existing target group needs --force", "[migration]") {
  two_clusters c;
  auto cfg = replicated_orders(c, 50);
  commit_on(c.source, "app", {{{"orders", 0}, 20}});

  auto options = options_for("app");
  options.dry_run = true;
  auto dry = migrate_ok(cfg, options);
  CHECK_FALSE(dry.committed);
  CHECK(row_of(dry, 0).target_offset == 20);
  CHECK(commits_on(c.target, "app", {{"orders", 0}}).empty());

  options.dry_run = false;
  CHECK(migrate_ok(cfg, options).committed);
  commit_on(c.source, "app", {{{"orders", 0}, 30}});
  auto again = migration::migrate(cfg, options, [](const std::string&) {});
  REQUIRE_FALSE(again);
  CHECK_THAT(again.error().message, Catch::Contains("already has committed offsets on target") &&
                                        Catch::Contains("--force"));
  CHECK(commits_on(c.target, "app", {{"orders", 0}}).at({"orders", 0}).offset == 20);

  options.force = true;
  CHECK(migrate_ok(cfg, options).committed);
  CHECK(commits_on(c.target, "app", {{"orders", 0}}).at({"orders", 0}).offset == 30);
}

TEST_CASE("duplicates from an at-least-once restart: the group resumes at the newest copy",
          "[migration]") {
  two_clusters c;
  auto cfg = replicated_orders(c, 300);
  // As after a crash before the replicator's checkpoint: it resumes from 150 and copies
  // 150..299 a second time. (The mock refuses offset commits to a group that had members,
  // so the resume point is set on a fresh group: the worker under another name.)
  auto restarted = cfg;
  restarted.name = "restarted";
  commit_on(c.source, "k2k-restarted", {{{"orders", 0}, 150}});
  {
    running_worker replicator{restarted};
    await_target(c, "orders", 0, 300, 150);
  }
  REQUIRE(high_watermark(c.target.bootstrap_servers(), "orders", 0) == 450);

  commit_on(c.source, "app", {{{"orders", 0}, 200}});
  commit_on(c.source, "early", {{{"orders", 0}, 100}});
  auto app = migrate_ok(cfg, options_for("app"));
  CHECK(row_of(app, 0).target_offset == 350); // 200's second copy, not its first at 200
  CHECK(row_of(app, 0).target_offset == ground_truth(c, 0, 200));
  auto early = migrate_ok(cfg, options_for("early"));
  CHECK(row_of(early, 0).target_offset == 100); // 100 was copied once
  CHECK(row_of(early, 0).target_offset == ground_truth(c, 0, 100));

  // Resuming at the newest copy reads 200..299 once.
  CHECK(resume_on_target(c, "app", "orders", 1)[0] == range(200, 300));
}

TEST_CASE("a group that may still be active is refused", "[migration]") {
  two_clusters c;
  auto cfg = replicated_orders(c, 2000);
  commit_on(c.source, "app", {{{"orders", 0}, 10}});

  SECTION("the mock cannot describe groups: the operator must confirm the stop") {
    auto options = options_for("app");
    options.confirm_stopped = false;
    auto r = migration::migrate(cfg, options, [](const std::string&) {});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ec::not_supported);
    CHECK_THAT(r.error().message, Catch::Contains("--confirm-stopped"));
  }

  SECTION("offsets still moving during the settle interval") {
    auto member = live_member(c.source.bootstrap_servers(), "busy", "orders",
                              {{"enable.auto.commit", "false"}, {"session.timeout.ms", "6000"}});
    std::atomic<bool> done{false};
    auto committing = std::async(std::launch::async, [&] {
      // a running application: its commits keep moving
      for (int64_t offset = 1; !done; ++offset) {
        kafka::topic_partition_list_ptr list{rd_kafka_topic_partition_list_new(1)};
        rd_kafka_topic_partition_list_add(list.get(), "orders", 0)->offset = offset;
        rd_kafka_commit(member.get(), list.get(), 0);
      }
    });
    auto options = options_for("busy");
    options.settle_interval = 1s;
    auto r = migration::migrate(cfg, options, [](const std::string&) {});
    done = true;
    committing.get();
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ec::active_group);
    CHECK_THAT(r.error().message, Catch::Contains("still consuming"));
    CHECK(commits_on(c.target, "busy", {{"orders", 0}}).empty());
  }

  SECTION("live members of the group on target") {
    auto member = live_member(c.target.bootstrap_servers(), "app", "orders",
                              {{"enable.auto.commit", "false"}, {"session.timeout.ms", "6000"}});
    auto r = migration::migrate(cfg, options_for("app"), [](const std::string&) {});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ec::active_group);
    CHECK_THAT(r.error().message, Catch::Contains("live members on target"));
  }
}

TEST_CASE("without tracing headers migration says so", "[migration]") {
  two_clusters c;
  auto headers_off =
      replicated_orders(c, 30, "features: {offsetMapping: disabled, tracingHeaders: disabled}\n");
  commit_on(c.source, "app", {{{"orders", 0}, 10}});

  // This pipeline's config says its replicator writes no headers.
  auto refused = migration::migrate(headers_off, options_for("app"), [](const std::string&) {});
  REQUIRE_FALSE(refused);
  CHECK_THAT(refused.error().message, Catch::Contains("needs the k2k_offset tracing header"));

  // A config that expects headers, over data replicated without them.
  auto report = migrate_ok(pipeline(c, "[orders]", no_mappings), options_for("app"));
  REQUIRE(report.refusal);
  CHECK(row_of(report, 0).status == partition_status::untraced);
  CHECK_THAT(row_of(report, 0).note, Catch::Contains("carries the k2k_offset header"));
  CHECK(commits_on(c.target, "app", {{"orders", 0}}).empty());
}

TEST_CASE("replication behind the group: refused, or waited for with --wait", "[migration]") {
  two_clusters c;
  auto cfg = replicated_orders(c, 100);
  produce(c.source.bootstrap_servers(), "orders", 0, numbered_records(100, 100));
  commit_on(c.source, "app", {{{"orders", 0}, 150}});

  auto behind = migrate_ok(cfg, options_for("app"));
  REQUIRE(behind.refusal);
  CHECK(row_of(behind, 0).status == partition_status::behind);
  CHECK_THAT(row_of(behind, 0).note, Catch::Contains("replicated up to source offset 99"));
  CHECK(commits_on(c.target, "app", {{"orders", 0}}).empty());

  auto options = options_for("app");
  options.wait = true;
  options.wait_poll = 100ms;
  std::promise<void> waiting_started;
  std::atomic<bool> told{false};
  auto waiting = std::async(std::launch::async, [&] {
    return migration::migrate(cfg, options, [&](const std::string& line) {
      if (line.find("waiting for replication") != std::string::npos && !told.exchange(true))
        waiting_started.set_value();
    });
  });
  // Start the replicator only once migrate is waiting, so the wait is what is tested.
  REQUIRE(waiting_started.get_future().wait_for(60s) == std::future_status::ready);
  running_worker replicator{cfg};
  auto report = waiting.get();
  REQUIRE(report);
  REQUIRE_FALSE(report->refusal);
  CHECK(report->committed);
  CHECK(row_of(*report, 0).target_offset == 150);
  CHECK(row_of(*report, 0).found == "exact");
}

TEST_CASE("records whose k2k_offset is not a number are stepped over and reported",
          "[migration][bad-input]") {
  two_clusters c;
  auto cfg = replicated_orders(c, 50);
  std::vector<test_record> bad;
  for (const auto* value : {"abc", "", "12x"})
    bad.push_back(
        {"k", "v", {{"k2k_topic", "orders"}, {"k2k_partition", "0"}, {"k2k_offset", value}}});
  produce(c.target.bootstrap_servers(), "orders", 0, bad);
  commit_on(c.source, "app", {{{"orders", 0}, 20}});

  auto report = migrate_ok(cfg, options_for("app"));
  REQUIRE(report.committed);
  CHECK(row_of(report, 0).target_offset == 20);
  CHECK_THAT(row_of(report, 0).note,
             Catch::Contains("3 record(s) with a non-numeric k2k_offset header skipped"));
}
