// k2k demo: the whole product on two embedded mock clusters, with zero setup, or on two
// clusters the user names (--source-bootstrap, --target-bootstrap; names of their own).
// A producer writes keyed records to source; target already holds unrelated records and a
// second writer keeps interleaving there, so offsets diverge and have holes. The real
// replicator copies the topic with tracing headers and mappings; the offset-mapping service
// (in-process actors) translates the commits of two source consumer groups running at
// different speeds. A live table compares every translated commit with the ground truth read
// from the target records' k2k_offset headers. At the end the consumers stop, a third group
// is moved with `k2k migrate`, and real consumers resume on target: the demo counts what
// they read twice or never.
#include "config/load.hpp"
#include "core/decimal.hpp"
#include "core/ground_truth.hpp"
#include "core/guard.hpp"
#include "kafka/admin.hpp"
#include "kafka/client.hpp"
#include "kafka/group_offsets.hpp"
#include "kafka/headers.hpp"
#include "kafka/mock_cluster.hpp"
#include "kafka/partition_reader.hpp"
#include "migration/migrator.hpp"
#include "offset_mapping/scheduler_tuning.hpp"
#include "offset_mapping/service.hpp"
#include "replication/worker.hpp"
#include "tools/commands.hpp"
#include "tools/stop_signals.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <future>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <unistd.h>

namespace k2k::tools {

namespace {

using clock_type = std::chrono::steady_clock;
using namespace std::chrono_literals;
constexpr int partitions = 3;
const std::string guard_prefix = "k2k_";

// The two clusters and the names the demo uses on them. On the embedded clusters the plain
// names; on given clusters every name ends in a run id, so runs never meet.
struct demo_setup {
  std::string source, target; // bootstrap servers
  std::string name = "demo";  // the pipeline
  std::string topic = "orders";
  std::string mapping_topic = "__k2k_offset_mappings";
  std::string transactional_id = "k2k-demo-txn";
  // Translated continuously by the offset-mapping service, at two speeds.
  std::vector<std::pair<std::string, int>> translated_groups{{"billing", 400}, {"analytics", 60}};
  std::string migrated_group = "audit"; // moved once with k2k migrate at the end

  void name_run(const std::string& run) {
    for (auto* n : {&name, &topic, &transactional_id, &migrated_group})
      *n += "-" + run;
    for (auto& g : translated_groups)
      g.first += "-" + run;
  }
};

std::optional<int64_t> k2k_offset(const rd_kafka_message_t& m) {
  auto value = kafka::header_value(m, "k2k_offset");
  return value ? core::parse_decimal(*value) : std::nullopt;
}

// Writes keyed records to source in small waves until stopped; a second writer adds a
// record to a target partition now and then (the mock has no transaction markers, so this
// is how target offsets get holes that are not replication's).
void run_producers(const demo_setup& setup, const std::atomic<bool>& stop) {
  const auto& topic = setup.topic;
  {
    // One transactional batch first: on real Kafka its commit marker takes a source offset
    // that carries no record (a gap the mappings' src_next accounts for); librdkafka's mock
    // writes no markers, so there the other writer below makes the holes on target.
    auto txn = kafka::make_producer(
        {{"bootstrap.servers", setup.source}, {"transactional.id", setup.transactional_id}});
    kafka::error_ptr err{rd_kafka_init_transactions(txn.get(), 10000)};
    if (!err)
      err.reset(rd_kafka_begin_transaction(txn.get()));
    for (int i = 0; !err && i < 20; ++i)
      rd_kafka_producev(txn.get(), RD_KAFKA_V_TOPIC(topic.c_str()),
                        RD_KAFKA_V_PARTITION(i % partitions),
                        RD_KAFKA_V_VALUE(const_cast<char*>("transactional"), 13),
                        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
    if (!err)
      err.reset(rd_kafka_commit_transaction(txn.get(), 10000));
    if (err)
      spdlog::warn("demo: transactional batch: {}", rd_kafka_error_string(err.get()));
  }
  auto producer = kafka::make_producer({{"bootstrap.servers", setup.source}, {"linger.ms", "10"}});
  auto other = kafka::make_producer({{"bootstrap.servers", setup.target}});
  for (int64_t i = 0; !stop.load(); ++i) {
    auto key = "customer-" + std::to_string(i % 37);
    auto value = "order " + std::to_string(i);
    rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC(topic.c_str()),
                      RD_KAFKA_V_KEY(key.data(), key.size()),
                      RD_KAFKA_V_VALUE(value.data(), value.size()),
                      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
    if (i % 97 == 0)
      rd_kafka_producev(other.get(), RD_KAFKA_V_TOPIC(topic.c_str()),
                        RD_KAFKA_V_PARTITION(static_cast<int32_t>(i % partitions)),
                        RD_KAFKA_V_VALUE(const_cast<char*>("other writer"), 12),
                        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
    if (i % 50 == 49) {
      rd_kafka_flush(producer.get(), 1000); // ~50 records per wave
      rd_kafka_poll(other.get(), 0);
    }
    rd_kafka_poll(producer.get(), 0);
  }
  rd_kafka_flush(producer.get(), 5000);
  rd_kafka_flush(other.get(), 5000);
}

// An application on source: consumes at most `per_second` records a second and commits
// what it processed every 200 ms, until stopped (then commits and leaves the group).
// Counts the applications that have committed at least once (the mock takes a few seconds
// to form a group, so a short demo waits for them before stopping them).
struct first_commits {
  std::mutex mutex;
  std::condition_variable changed;
  size_t count = 0;

  void add() {
    std::lock_guard<std::mutex> lock{mutex};
    ++count;
    changed.notify_all();
  }
  void wait_for(size_t n, std::chrono::seconds timeout) {
    std::unique_lock<std::mutex> lock{mutex};
    changed.wait_for(lock, timeout, [&] { return count >= n; });
  }
};

void run_application(const std::string& bootstrap, const std::string& topic,
                     const std::string& group, int per_second, const std::atomic<bool>& stop,
                     first_commits& committed) {
  auto consumer = kafka::make_consumer({{"bootstrap.servers", bootstrap},
                                        {"group.id", group},
                                        {"auto.offset.reset", "earliest"},
                                        {"enable.auto.commit", "false"}});
  kafka::topic_partition_list_ptr topics{rd_kafka_topic_partition_list_new(1)};
  rd_kafka_topic_partition_list_add(topics.get(), topic.c_str(), RD_KAFKA_PARTITION_UA);
  rd_kafka_subscribe(consumer.get(), topics.get());
  auto started = clock_type::now();
  int64_t consumed = 0;
  bool has_committed = false;
  auto next_commit = clock_type::now();
  while (!stop.load()) {
    auto allowed = std::chrono::duration<double>(clock_type::now() - started).count() * per_second;
    if (consumed < allowed) {
      kafka::message_ptr m{rd_kafka_consumer_poll(consumer.get(), 50)};
      if (m && !m->err)
        ++consumed; // the offset is stored for the next commit (enable.auto.offset.store)
    } else {
      std::this_thread::sleep_for(20ms); // the application's pace
    }
    if (clock_type::now() >= next_commit) {
      bool first = !has_committed && consumed > 0;
      has_committed |= rd_kafka_commit(consumer.get(), nullptr, 0) == RD_KAFKA_RESP_ERR_NO_ERROR;
      if (first && has_committed)
        committed.add();
      next_commit = clock_type::now() + 200ms;
    }
  }
  rd_kafka_commit(consumer.get(), nullptr, 0);
  rd_kafka_consumer_close(consumer.get());
}

// Everything the table shows, read from the clusters themselves.
class observer {
public:
  explicit observer(const demo_setup& setup)
      : topic_(setup.topic),
        source_(kafka::make_admin_client({{"bootstrap.servers", setup.source}})),
        target_admin_(kafka::make_admin_client({{"bootstrap.servers", setup.target}})),
        target_(kafka::make_consumer({{"bootstrap.servers", setup.target},
                                      {"group.id", "k2k-demo-observer"},
                                      {"enable.partition.eof", "true"}})) {}

  // Reads the target records that are new since the last refresh (the ground truth).
  void refresh() {
    for (int p = 0; p < partitions; ++p) {
      auto end = kafka::watermarks(target_.get(), topic_, p).value_or_throw().second;
      kafka::scan_partition(target_.get(), topic_, p, read_[p], end,
                            [&](const rd_kafka_message_t& m) {
                              if (auto s = k2k_offset(m))
                                truth_[p].add(*s, m.offset);
                            });
      read_[p] = end;
    }
  }

  // Where a consumer that committed S must resume on target (core/ground_truth.hpp);
  // nullopt while S is not replicated yet.
  std::optional<int64_t> ground_truth(int32_t p, int64_t s) const {
    auto it = truth_.find(p);
    return it == truth_.end() ? std::nullopt : it->second.resume_at(s);
  }

  std::map<kafka::topic_partition, kafka::committed_offset> commits(bool on_target,
                                                                    const std::string& group) {
    std::vector<kafka::topic_partition> tps;
    for (int p = 0; p < partitions; ++p)
      tps.emplace_back(topic_, p);
    auto r =
        kafka::list_group_offsets(on_target ? target_admin_.get() : source_.get(), group, tps, 5s);
    return r ? *r : std::map<kafka::topic_partition, kafka::committed_offset>{};
  }

  struct row_counts {
    int exact = 0, pending = 0, wrong = 0;
    int current = 0; // exact and translated from the latest source commit
  };

  // One line per group and partition.
  std::string table(const std::vector<std::string>& groups, row_counts& counts) {
    char line[256];
    std::string out;
    std::snprintf(line, sizeof line, "%-16s %-15s %13s | %13s %10s %12s  %s\n", "group",
                  "partition", "source commit", "target commit", "for source", "ground truth",
                  "status");
    out += line;
    for (const auto& group : groups) {
      auto source = commits(false, group);
      auto target = commits(true, group);
      for (int32_t p = 0; p < partitions; ++p) {
        auto s = source.find({topic_, p});
        auto t = target.find({topic_, p});
        std::optional<core::guard_version> version;
        if (t != target.end())
          version = core::parse_guard_metadata(guard_prefix, t->second.metadata);
        std::optional<int64_t> truth;
        if (version)
          truth = ground_truth(p, version->source.value);
        std::string status;
        if (t == target.end())
          status = "pending", ++counts.pending;
        else if (!version)
          status = "guarded (commit not k2k's)", ++counts.pending;
        else if (!truth)
          status = "no ground truth yet", ++counts.pending;
        else if (*truth == t->second.offset)
          status = "exact", ++counts.exact;
        else
          status = "WRONG", ++counts.wrong;
        if (status == "exact" && s != source.end() && version->source.value < s->second.offset)
          status += " (next cycle: " + std::to_string(s->second.offset) + ")";
        else if (status == "exact")
          ++counts.current;
        auto num = [](auto v) { return v ? std::to_string(*v) : std::string("-"); };
        std::snprintf(
            line, sizeof line, "%-16s %-15s %13s | %13s %10s %12s  %s\n", group.c_str(),
            (topic_ + "[" + std::to_string(p) + "]").c_str(),
            num(s == source.end() ? std::nullopt : std::optional<int64_t>{s->second.offset})
                .c_str(),
            num(t == target.end() ? std::nullopt : std::optional<int64_t>{t->second.offset})
                .c_str(),
            num(version ? std::optional<int64_t>{version->source.value} : std::nullopt).c_str(),
            num(truth).c_str(), status.c_str());
        out += line;
      }
    }
    return out;
  }

private:
  const std::string& topic_;
  kafka::handle_ptr source_, target_admin_, target_;
  std::map<int32_t, core::copy_log> truth_; // the copies read, by partition
  std::map<int32_t, int64_t> read_;
};

// A consumer of `group` on target, from the group's commits to the end of every partition;
// compares what it reads (the k2k_offset of each record) with the source records the group
// had not consumed on source: [source commit, source end).
struct resume_check {
  int64_t read = 0, duplicates = 0, skipped = 0;
};

resume_check
resume_on_target(const demo_setup& setup, const std::string& group,
                 const std::map<kafka::topic_partition, kafka::committed_offset>& from) {
  const auto& topic = setup.topic;
  auto consumer = kafka::make_consumer({{"bootstrap.servers", setup.target},
                                        {"group.id", group},
                                        {"enable.auto.commit", "false"},
                                        {"enable.partition.eof", "true"},
                                        {"auto.offset.reset", "earliest"}});
  kafka::topic_partition_list_ptr topics{rd_kafka_topic_partition_list_new(1)};
  rd_kafka_topic_partition_list_add(topics.get(), topic.c_str(), RD_KAFKA_PARTITION_UA);
  rd_kafka_subscribe(consumer.get(), topics.get());
  resume_check check;
  std::map<int32_t, std::multiset<int64_t>> seen;
  std::set<int32_t> at_end;
  auto deadline = clock_type::now() + 30s;
  while (int(at_end.size()) < partitions && clock_type::now() < deadline) {
    kafka::message_ptr m{rd_kafka_consumer_poll(consumer.get(), 200)};
    if (!m)
      continue;
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      at_end.insert(m->partition);
      continue;
    }
    if (m->err)
      continue;
    ++check.read;
    if (auto s = k2k_offset(*m))
      seen[m->partition].insert(*s);
  }
  rd_kafka_consumer_close(consumer.get());
  // The source records the group had left to read: what a read_committed consumer reads
  // from its commit on (transaction markers and aborted records are offsets, not records).
  auto reader =
      kafka::make_partition_reader({{"bootstrap.servers", setup.source}, {"group.id", group}});
  for (int32_t p = 0; p < partitions; ++p) {
    auto source_end = kafka::watermarks(reader.get(), topic, p).value_or_throw().second;
    auto c = from.find({topic, p});
    int64_t start = c == from.end() ? 0 : c->second.offset;
    kafka::scan_partition(reader.get(), topic, p, start, source_end,
                          [&](const rd_kafka_message_t& m) {
                            auto n = seen[p].count(m.offset);
                            check.skipped += n == 0;
                            check.duplicates += n > 1 ? n - 1 : 0;
                          });
    for (auto s : seen[p])
      check.duplicates += s < start; // read although consumed on source
  }
  return check;
}

config::pipeline_config demo_config(const demo_setup& setup) {
  std::string groups;
  for (const auto& [g, rate] : setup.translated_groups)
    groups += (groups.empty() ? "" : ", ") + g;
  auto yaml =
      "name: " + setup.name + "\nsource: {kafka: {common: {bootstrap.servers: \"" + setup.source +
      "\"}}}\ntarget: {kafka: {common: {bootstrap.servers: \"" + setup.target +
      "\"}}}\nreplication:\n  - source: {topic: [" + setup.topic +
      "]}\nreplicator: {reportInterval: 1h}\noffsetMapping: {topic: " + setup.mapping_topic +
      ", partitions: " + std::to_string(partitions) + "}\ngroups: {consumerGroups: [" + groups +
      "], pollInterval: 250ms, offsetGuardPrefix: " + guard_prefix + "}\n";
  auto loaded = config::load_string(yaml, "demo");
  if (!loaded.ok())
    throw std::runtime_error("demo config: " + loaded.errors.front().to_string());
  return loaded.config;
}

} // namespace

// The demo's clusters: two embedded mock clusters (topics made through the mock API; the
// mock cannot create them), or the given ones (topics made with CreateTopics; the mapping
// topic k2k makes itself).
struct demo_clusters {
  std::optional<kafka::mock_cluster> source_mock, target_mock;
  demo_setup setup;

  explicit demo_clusters(const demo_options& options) {
    if (options.source_bootstrap.empty()) {
      source_mock.emplace(3);
      target_mock.emplace(3);
      setup.source = source_mock->bootstrap_servers();
      setup.target = target_mock->bootstrap_servers();
      source_mock->create_topic(setup.topic, partitions);
      target_mock->create_topic(setup.topic, partitions);
      target_mock->create_topic(setup.mapping_topic, partitions);
      return;
    }
    setup.source = options.source_bootstrap;
    setup.target = options.target_bootstrap;
    setup.name_run(std::to_string(std::time(nullptr) % 100000));
    for (const auto& bootstrap : {setup.source, setup.target}) {
      auto admin = kafka::make_admin_client({{"bootstrap.servers", bootstrap}});
      if (auto e = kafka::create_topic(admin.get(), {setup.topic, partitions, -1, {}}, 30s))
        throw std::runtime_error(bootstrap + ": " + e->message);
    }
  }
};

int demo_command(const demo_options& options) {
  stop_signals signals;
  std::atomic<bool> interrupted{false};
  demo_clusters clusters{options};
  const auto& setup = clusters.setup;
  const auto& topic = setup.topic;
  {
    // Unrelated records already on target, so target offsets differ from source offsets.
    auto p = kafka::make_producer({{"bootstrap.servers", setup.target}});
    for (int i = 0; i < 25 * partitions; ++i)
      rd_kafka_producev(p.get(), RD_KAFKA_V_TOPIC(topic.c_str()),
                        RD_KAFKA_V_PARTITION(i % partitions),
                        RD_KAFKA_V_VALUE(const_cast<char*>("prior"), 5),
                        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
    rd_kafka_flush(p.get(), 10000);
  }
  std::cout << "k2k demo: SOURCE_BOOTSTRAP=" << setup.source << " TARGET_BOOTSTRAP=" << setup.target
            << "\n"
            << "  " << topic << " (" << partitions
            << " partitions) is replicated source -> target; target already holds 25 unrelated "
               "records per partition and another writer keeps adding some.\n"
            << "  The offset-mapping service translates the commits of groups "
            << setup.translated_groups[0].first << " (fast) and "
            << setup.translated_groups[1].first << " (slow); group " << setup.migrated_group
            << " is moved with k2k migrate at the end.\n\n"
            << std::flush;

  auto cfg = demo_config(setup);
  replication::replication_worker worker{cfg};
  std::thread replicator{[&] { worker.run(); }};
  caf::actor_system_config system_cfg;
  offset_mapping::add_message_types(system_cfg);
  offset_mapping::tune_scheduler(system_cfg);
  caf::actor_system system{system_cfg};
  auto service = std::make_unique<offset_mapping::offset_mapping_service>(system, cfg);

  std::atomic<bool> stop_producers{false}, stop_applications{false};
  std::thread producers{[&] { run_producers(setup, stop_producers); }};
  std::vector<std::thread> applications;
  first_commits committed;
  for (const auto& [group, rate] : setup.translated_groups)
    applications.emplace_back([&, g = group, r = rate] {
      run_application(setup.source, topic, g, r, stop_applications, committed);
    });
  applications.emplace_back([&] {
    run_application(setup.source, topic, setup.migrated_group, 150, stop_applications, committed);
  });
  signals.on_signal([&](int) { interrupted = true; });

  std::vector<std::string> shown;
  for (const auto& [g, r] : setup.translated_groups)
    shown.push_back(g);
  observer view{setup};
  const bool tty = ::isatty(STDOUT_FILENO);
  auto end = clock_type::now() + options.duration;
  while (!interrupted && (options.keep_running || clock_type::now() < end)) {
    auto tick = clock_type::now() + 1s;
    view.refresh();
    observer::row_counts counts;
    auto text = view.table(shown, counts);
    if (tty)
      std::cout << "\x1b[H\x1b[2J"; // redraw in place on a terminal
    std::cout << text << (tty ? "" : "\n") << std::flush;
    worker.wait_for_status([&](const auto&) { return interrupted.load(); },
                           std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::max(tick - clock_type::now(), clock_type::duration::zero())));
  }

  // The applications stop (and commit), the producers stop; replication and translation
  // catch up with the final commits.
  committed.wait_for(applications.size(), 30s);
  std::cout << "stopping the applications on source and the producers...\n" << std::flush;
  stop_applications = true;
  for (auto& a : applications)
    a.join();
  stop_producers = true;
  producers.join();
  int64_t source_total = 0;
  {
    auto probe = kafka::make_admin_client({{"bootstrap.servers", setup.source}});
    for (int p = 0; p < partitions; ++p)
      source_total += kafka::watermarks(probe.get(), topic, p).value_or_throw().second;
  }
  worker.wait_for_status(
      [&](const auto& st) { return int64_t(st.records) >= source_total && st.in_flight == 0; },
      30s);
  // Then the service's cycles until every translated commit reflects the final source commit.
  observer::row_counts counts;
  std::string final_table;
  auto translated_by = clock_type::now() + 30s;
  const int rows = int(setup.translated_groups.size()) * partitions;
  for (;;) {
    view.refresh();
    counts = {};
    final_table = view.table(shown, counts);
    if (counts.current == rows || counts.wrong > 0 || clock_type::now() >= translated_by)
      break;
    auto cycles = service->counters()->cycles.load();
    service->counters()->wait_for([&](const auto& c) { return c.cycles > cycles; }, 2s);
  }
  std::cout << "\nfinal translated commits:\n" << final_table << '\n';

  // Application migration for the third group, from the tracing headers alone.
  migration::migration_options migrate;
  migrate.group = setup.migrated_group;
  migrate.confirm_stopped = true; // the mock cannot describe groups (real brokers do)
  migrate.settle_interval = 1s;
  auto migrated = migration::migrate(cfg, migrate, [](const std::string& line) {
    std::cout << "k2k migrate: " << line << '\n' << std::flush;
  });
  bool migration_ok = migrated && migrated->committed;
  if (!migrated)
    std::cout << "k2k migrate " << setup.migrated_group << ": " << migrated.error().message << '\n';
  else
    for (const auto& row : migrated->rows)
      std::cout << "  " << setup.migrated_group << " " << row.topic << "[" << row.partition
                << "]: source " << row.source_offset << " -> target " << row.target_offset << " ("
                << row.found << ", " << row.probes << " reads, " << row.records_read
                << " records read)\n";
  service->stop(); // the real consumers now take over the target groups
  worker.stop();
  replicator.join();

  // Real consumers resume on target and read exactly what they had not read on source.
  bool resumed_ok = true;
  std::vector<std::string> resumed_groups = shown;
  resumed_groups.push_back(setup.migrated_group);
  std::vector<std::future<resume_check>> checks;
  for (const auto& g : resumed_groups)
    checks.push_back(std::async(
        std::launch::async, [&, g] { return resume_on_target(setup, g, view.commits(false, g)); }));
  std::cout << '\n';
  for (size_t i = 0; i < resumed_groups.size(); ++i) {
    auto c = checks[i].get();
    std::cout << "group " << resumed_groups[i] << " resumed on target with " << c.duplicates
              << " duplicates and " << c.skipped << " skipped records (" << c.read
              << " records read)\n";
    resumed_ok = resumed_ok && c.duplicates == 0 && c.skipped == 0;
  }
  bool ok = counts.wrong == 0 && counts.exact > 0 && migration_ok && resumed_ok;
  std::cout << (ok ? "demo: every translated commit exact, every group resumed exactly\n"
                   : "demo: FAILED (see above)\n");
  return ok ? 0 : 1;
}

} // namespace k2k::tools
