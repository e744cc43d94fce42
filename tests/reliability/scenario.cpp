#include "reliability/scenario.hpp"

#include "core/guard.hpp"
#include "kafka/admin.hpp"
#include "kafka/client.hpp"
#include "kafka/group_client.hpp"
#include "kafka/mock_cluster.hpp"
#include "kafka/partition_reader.hpp"
#include "reliability/child_process.hpp"
#include "reliability/commit_watch.hpp"
#include "reliability/kafka_cluster_control.hpp"
#include "reliability/progress_watch.hpp"
#include "reliability/source_load.hpp"
#include "reliability/target_audit.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <memory>
#include <random>
#include <regex>
#include <thread>

namespace k2k::reliability {

using namespace std::chrono_literals;
using clock = std::chrono::steady_clock;

namespace {

constexpr int partitions = 4;
constexpr int mapping_partitions = 4;
const std::string guard_prefix = "k2k_"; // groups.offsetGuardPrefix's default

// What a scenario names on the clusters. Real clusters are shared by scenarios and runs:
// there every name gets a suffix of its own.
struct scenario_names {
  std::string pipeline = "reliability";
  std::string topic = "orders";
  std::string mapping_topic = "__k2k_offset_mappings";
  std::vector<std::string> app_groups = {"app-a", "app-b", "app-c"};
  std::string kcat_group = "kcat-app";

  static scenario_names for_scenario(const scenario_options& o) {
    scenario_names n;
    if (!o.real())
      return n;
    auto suffix =
        "-" + std::to_string(o.seed) + "-" + std::to_string(std::random_device{}() % 100000);
    for (auto* name : {&n.pipeline, &n.topic, &n.mapping_topic, &n.kcat_group})
      *name += suffix;
    for (auto& g : n.app_groups)
      g += suffix;
    return n;
  }
  std::vector<std::string> all_groups() const {
    auto all = app_groups;
    all.push_back(kcat_group);
    return all;
  }
};

namespace fault {
const std::string source_broker_down = "source broker down";
const std::string target_broker_down = "target broker down";
const std::string latency = "added latency";
const std::string produce_errors = "Produce errors";
const std::string fetch_errors = "Fetch errors";
const std::string offset_commit_errors = "OffsetCommit errors";
const std::string offset_fetch_errors = "OffsetFetch errors";
const std::string init_producer_id_errors = "InitProducerId errors";
const std::string end_txn_errors = "EndTxn errors";
const std::string kill_replicator = "kill -9 replicator";
const std::string restart_replicator = "restart replicator (SIGTERM)";
const std::string kill_mapper = "kill -9 offset-mapping worker";
const std::string zombie = "zombie worker with a stale view";
const std::string frozen = "frozen worker (SIGSTOP past its session)";
const std::string rebalance = "mapping-partition rebalance";
const std::string add_replicator = "add a replicator worker";
const std::string stop_replicator = "stop a replicator worker (SIGTERM)";
// On real brokers (tools/kafka-cluster); at most one of them per step: the script's start
// waits until every broker of the cluster answers.
const std::string kill_source_leader = "kill -9 a source leader";
const std::string kill_target_leader = "kill -9 a target leader";
const std::string pause_target_leader = "pause a target leader past the sessions";
const std::string kill_target_controller = "kill -9 the target's active controller";
const std::string rolling_restart = "rolling restart of a cluster";
} // namespace fault

bool broker_fault_on_real(const std::string& kind) {
  return kind == fault::kill_source_leader || kind == fault::kill_target_leader ||
         kind == fault::pause_target_leader || kind == fault::kill_target_controller ||
         kind == fault::rolling_restart;
}
bool only_on_mock(const std::string& kind) {
  return kind == fault::source_broker_down || kind == fault::target_broker_down ||
         kind == fault::latency || (kind.size() > 7 && kind.substr(kind.size() - 7) == " errors");
}

constexpr int64_t batch_size = 1000; // the replicator's records per cycle (a transaction)

std::string pipeline_yaml(const scenario_names& n, const std::string& name, bool exactly_once,
                          bool guard) {
  // Short sessions: the mock notices a killed member only when its session expires.
  return "name: " + name +
         "\n"
         "source:\n"
         "  kafka:\n"
         "    common: {bootstrap.servers: \"${SOURCE_BOOTSTRAP}\"}\n"
         "    consumer: {session.timeout.ms: \"6000\", heartbeat.interval.ms: \"500\"}\n"
         "target:\n"
         "  kafka:\n"
         "    common: {bootstrap.servers: \"${TARGET_BOOTSTRAP}\"}\n"
         "    consumer: {session.timeout.ms: \"6000\", heartbeat.interval.ms: \"500\"}\n"
         "replication:\n"
         "  - source: {topic: [" +
         n.topic +
         "]}\n"
         "replicator: {reportInterval: 5s, shutdownTimeout: 20s, batchSize: " +
         std::to_string(batch_size) +
         "}\n"
         "offsetMapping: {topic: " +
         n.mapping_topic + ", partitions: " + std::to_string(mapping_partitions) +
         "}\n"
         "groups: {consumerGroups: [" +
         n.app_groups[0] + ", " + n.app_groups[1] + ", " + n.app_groups[2] + ", " + n.kcat_group +
         "], pollInterval: 250ms}\n"
         "features: {exactlyOnce: " +
         (exactly_once ? "enabled" : "disabled") +
         ", applyMappingsGuard: " + (guard ? "enabled" : "disabled") +
         "}\n"
         "metrics: {listen: \"127.0.0.1:0\"}\n";
}

// The child processes of a scenario, each logging to WORK_DIR/<name>.log.
struct fleet {
  const scenario_options& o;
  std::string config;
  std::map<std::string, std::string> env;
  std::vector<std::unique_ptr<child_process>> replicators, mappers;

  std::string log(const std::string& name) const { return o.work_dir + "/" + name + ".log"; }

  std::unique_ptr<child_process> k2k(const std::string& command, const std::string& name,
                                     const std::map<std::string, std::string>& environment) {
    return k2k(command, name, environment, config);
  }
  std::unique_ptr<child_process> k2k(const std::string& command, const std::string& name,
                                     const std::map<std::string, std::string>& environment,
                                     const std::string& config_file) {
    return std::make_unique<child_process>(
        std::vector<std::string>{o.k2k, command, "-c", config_file}, environment, log(name));
  }
  void start_replicator(size_t i) {
    replicators[i] = k2k("replicate", "replicator-" + std::to_string(i), env);
  }
  bool killed = false; // a replicator was killed -9: its open transactions were left behind
  size_t kill9_and_restart_replicator(size_t i) {
    killed = true;
    replicators[i]->kill9();
    start_replicator(i);
    return i;
  }
  void start_mapper(size_t i) {
    mappers[i] = k2k("offset-mapping", "offset-mapping-" + std::to_string(i), env);
  }
};

bool log_contains(const std::string& path, const std::string& text) {
  std::ifstream in{path};
  std::string line;
  while (std::getline(in, line))
    if (line.find(text) != std::string::npos)
      return true;
  return false;
}

// Follows the replicators' logs for the transactions that never committed: those a
// replicator aborted ("aborting the transaction of orders[P] (source offsets A..B)") or left
// open at a stop ("leaving the transaction of orders[P] (source offsets A..B) open") and,
// after a kill -9, the one its partition's next owner aborted when it resumed from the
// checkpoint ("orders[P] resumes at C (mapping checkpoint)": at most one batch from C).
class uncommitted_transactions {
public:
  uncommitted_transactions(const std::string& work_dir, const std::string& topic,
                           int64_t batch_size)
      : work_dir_(work_dir), batch_size_(batch_size),
        aborted_(R"((?:aborting|leaving) the transaction of )" + topic +
                 R"(\[(\d+)\] \(source offsets (\d+)\.\.(-?\d+)\))"),
        resumed_(topic + R"(\[(\d+)\] resumes at (\d+) \(mapping checkpoint\))") {}

  void feed(target_audit& audit, size_t replicators, bool after_kill) {
    // (A resume long after the kill still follows it: the killed member's session must
    // expire and the group rebalance first.)
    for (size_t i = 0; i < replicators; ++i) {
      auto path = work_dir_ + "/replicator-" + std::to_string(i) + ".log";
      std::ifstream in{path};
      in.seekg(read_[path]);
      std::string line;
      std::smatch m;
      while (std::getline(in, line) && !in.eof()) {
        read_[path] = in.tellg();
        if (std::regex_search(line, m, aborted_))
          audit.uncommitted_range(std::stoi(m[1]), std::stoll(m[2]), std::stoll(m[3]) + 1);
        else if (after_kill && std::regex_search(line, m, resumed_))
          audit.uncommitted_range(std::stoi(m[1]), std::stoll(m[2]),
                                  std::stoll(m[2]) + batch_size_);
      }
    }
  }

private:
  std::string work_dir_;
  int64_t batch_size_;
  std::regex aborted_, resumed_;
  std::map<std::string, std::streampos> read_;
};

rd_kafka_resp_err_t pick(std::mt19937_64& rng, std::initializer_list<rd_kafka_resp_err_t> errors) {
  return *(errors.begin() + rng() % errors.size());
}

} // namespace

const std::vector<std::string>& fault_kinds() {
  static const std::vector<std::string> kinds = {fault::source_broker_down,
                                                 fault::target_broker_down,
                                                 fault::latency,
                                                 fault::produce_errors,
                                                 fault::fetch_errors,
                                                 fault::offset_commit_errors,
                                                 fault::offset_fetch_errors,
                                                 fault::init_producer_id_errors,
                                                 fault::end_txn_errors,
                                                 fault::kill_replicator,
                                                 fault::restart_replicator,
                                                 fault::kill_mapper,
                                                 fault::zombie,
                                                 fault::frozen,
                                                 fault::rebalance,
                                                 fault::add_replicator,
                                                 fault::stop_replicator,
                                                 fault::kill_source_leader,
                                                 fault::kill_target_leader,
                                                 fault::pause_target_leader,
                                                 fault::kill_target_controller,
                                                 fault::rolling_restart};
  return kinds;
}

bool possible_on(bool real, const std::string& kind) {
  return real ? !only_on_mock(kind) : !broker_fault_on_real(kind);
}

// The scale-out kinds came after the mock scenarios' seeds were documented: on the mock they
// are drawn only when named, so that a seed replays the faults it always drew.
bool drawn_on_mock(const std::string& kind) {
  return possible_on(false, kind) && kind != fault::add_replicator &&
         kind != fault::stop_replicator;
}

bool drawn_on_real(const std::string& kind) {
  return possible_on(true, kind);
}

scenario_result run_scenario(const scenario_options& o) {
  scenario_result result;
  result.seed = o.seed;
  std::mt19937_64 rng{o.seed};
  bool exactly_once = o.mode.empty() ? rng() % 2 == 1 : o.mode == "exactly-once";
  result.mode = exactly_once ? "exactly-once" : "at-least-once";
  auto tally = [&](const std::string& invariant, size_t checks) {
    result.invariants[invariant].checks += checks;
  };
  auto step_label = std::string{"start"};
  auto report = [&](const violation& v) {
    ++result.invariants[v.invariant].violations;
    result.violations.push_back(step_label + ": " + v.invariant + ": " + v.what);
    spdlog::error("reliability seed {} {}: {}", o.seed, step_label, v.what);
  };

  const auto n = scenario_names::for_scenario(o);
  // Mock clusters in this process, or real ones; the zombie's stale source is always a mock.
  std::unique_ptr<kafka::mock_cluster> mock_source, mock_target;
  std::optional<kafka_cluster_control> real_source, real_target;
  kafka::mock_cluster stale{1};
  stale.create_topic(n.topic, partitions);
  std::string source_bootstrap, target_bootstrap;
  if (o.real()) {
    real_source.emplace(o.kafka_cluster_script, o.real_source_dir);
    real_target.emplace(o.kafka_cluster_script, o.real_target_dir);
    source_bootstrap = real_source->bootstrap();
    target_bootstrap = real_target->bootstrap();
    auto create = [](const std::string& bootstrap, const kafka::new_topic& t) {
      auto admin = kafka::make_admin_client({{"bootstrap.servers", bootstrap}});
      if (auto e = kafka::create_topic(admin.get(), t, 30s))
        throw std::runtime_error("creating " + t.name + ": " + e->message);
    };
    create(source_bootstrap, {n.topic, partitions, -1, {}});
    create(target_bootstrap, {n.topic, partitions, -1, {}});
    create(target_bootstrap, {n.mapping_topic, mapping_partitions, -1, {}});
  } else {
    mock_source = std::make_unique<kafka::mock_cluster>(3);
    mock_target = std::make_unique<kafka::mock_cluster>(3);
    for (auto* c : {mock_source.get(), mock_target.get()})
      c->create_topic(n.topic, partitions);
    mock_target->create_topic(n.mapping_topic, mapping_partitions);
    source_bootstrap = mock_source->bootstrap_servers();
    target_bootstrap = mock_target->bootstrap_servers();
  }

  std::ofstream(o.work_dir + "/pipeline.yaml")
      << pipeline_yaml(n, n.pipeline, exactly_once, o.guard);
  // The zombie's deployment: same pipeline but a name of its own, so its own mapping consumer
  // group: it believes it owns every mapping partition while the real workers own them too.
  std::ofstream(o.work_dir + "/zombie.yaml")
      << pipeline_yaml(n, n.pipeline + "-zombie", exactly_once, o.guard);
  fleet f{o,
          o.work_dir + "/pipeline.yaml",
          {{"SOURCE_BOOTSTRAP", source_bootstrap}, {"TARGET_BOOTSTRAP", target_bootstrap}},
          {},
          {}};
  f.replicators.resize(1 + rng() % 2);
  if (o.real())
    f.replicators.resize(3); // as operators scale out
  f.mappers.resize(2);

  std::vector<kafka::topic_partition> tps;
  for (int32_t p = 0; p < partitions; ++p)
    tps.emplace_back(n.topic, p);
  const auto all_groups = n.all_groups();
  commit_watch watch{target_bootstrap, all_groups, tps};
  commit_watch source_watch{source_bootstrap, all_groups, tps};
  target_audit audit{{source_bootstrap, target_bootstrap, n.topic, partitions, n.mapping_topic,
                      mapping_partitions, exactly_once}};
  source_load load{{source_bootstrap, target_bootstrap, n.topic, partitions, n.app_groups,
                    o.records_per_second, o.seed}};
  auto kcat = std::make_unique<child_process>(
      std::vector<std::string>{"/usr/bin/kcat", "-b", source_bootstrap, "-G", n.kcat_group, "-q",
                               "-o", "beginning", "-X", "auto.commit.interval.ms=200", n.topic},
      std::map<std::string, std::string>{}, "/dev/null");
  // Progress: replication publishes mappings as it goes (the mapping topic's ends grow);
  // translation changes target commits.
  // (A reader that failed is replaced: an idle handle would keep asking a dead leader until
  // its metadata refresh, minutes later, and report a stall the pipeline does not have.)
  auto new_mapping_reader = [target_bootstrap] {
    return kafka::make_partition_reader(
        {{"bootstrap.servers", target_bootstrap}, {"group.id", "k2k-reliability-progress"}});
  };
  auto mapping_reader = new_mapping_reader();
  progress_watch replication_progress{[&]() -> std::optional<int64_t> {
    int64_t sum = 0;
    for (int32_t mp = 0; mp < mapping_partitions; ++mp) {
      int64_t low = 0, high = 0; // asked with a short timeout: a frozen leader must not stop
                                 // the sampling
      if (rd_kafka_query_watermark_offsets(mapping_reader.get(), n.mapping_topic.c_str(), mp, &low,
                                           &high, 1000)) {
        mapping_reader = new_mapping_reader();
        return std::nullopt;
      }
      sum += high;
    }
    return sum;
  }};
  progress_watch translation_progress{
      [&]() -> std::optional<int64_t> { return static_cast<int64_t>(watch.changes()); }};
  auto load_started = clock::now();
  for (size_t i = 0; i < f.replicators.size(); ++i)
    f.start_replicator(i);
  for (size_t i = 0; i < f.mappers.size(); ++i)
    f.start_mapper(i);

  std::set<std::string> kinds;
  for (const auto& k : fault_kinds())
    if (o.faults.empty() ? (o.real() ? drawn_on_real(k) : drawn_on_mock(k))
                         : o.faults.count(k) && possible_on(o.real(), k))
      kinds.insert(k);
  if (!exactly_once)
    kinds.erase(fault::end_txn_errors); // no transactions to end
  std::vector<std::string> drawable(kinds.begin(), kinds.end());
  std::unique_ptr<child_process> zombie, extra, extra_replicator;
  size_t regressions_seen = 0;

  // Every process that should run does; one that exited on its own is a violation.
  auto ensure_running = [&] {
    auto revive = [&](std::vector<std::unique_ptr<child_process>>& ps, const char* what,
                      const std::function<void(size_t)>& start) {
      for (size_t i = 0; i < ps.size(); ++i)
        if (!ps[i]->running()) {
          report({invariant::services,
                  std::string{what} + " " + std::to_string(i) + " exited with status " +
                      std::to_string(ps[i]->exit_status().value_or(-1)) + " on its own (log: " +
                      f.log(std::string{what} + "-" + std::to_string(i)) + ")"});
          start(i);
        }
    };
    revive(f.replicators, "replicator", [&](size_t i) { f.start_replicator(i); });
    revive(f.mappers, "offset-mapping", [&](size_t i) { f.start_mapper(i); });
  };
  // A graceful stop must end with status 0 within 40 s (the shutdown timeout is 20 s).
  auto terminate_replicator = [&](size_t i) {
    auto status = f.replicators[i]->terminate(40s);
    if (status != 0)
      report({invariant::services,
              "replicator " + std::to_string(i) + " did not stop cleanly on SIGTERM (status " +
                  (status ? std::to_string(*status) : "none: killed after 40 s") + ")"});
  };
  uncommitted_transactions uncommitted{o.work_dir, n.topic, batch_size};
  auto audit_check = [&] {
    for (const auto& v : audit.check())
      report(v);
    if (exactly_once)
      // (after the read: judge_duplicates; the extra replicator's log is the next one)
      uncommitted.feed(audit, f.replicators.size() + 1, f.killed);
    for (const auto& v : audit.judge_duplicates())
      report(v);
  };
  auto check_step = [&] {
    auto started = clock::now();
    ensure_running();
    tally(invariant::services, f.replicators.size() + f.mappers.size());
    audit_check();
    tally(invariant::on_target, 1);
    tally(invariant::mappings, 1);
    if (exactly_once)
      tally(invariant::no_duplicates, 1);
    auto regressions = watch.regressions();
    for (; regressions_seen < regressions.size(); ++regressions_seen) {
      const auto& r = regressions[regressions_seen];
      report({invariant::monotonic, "group " + r.group + " " + r.partition.first + "[" +
                                        std::to_string(r.partition.second) + "] moved from " +
                                        std::to_string(r.before.offset) + " (" + r.before.metadata +
                                        ") back to " + std::to_string(r.after.offset) + " (" +
                                        r.after.metadata + ")"});
    }
    spdlog::info(
        "reliability seed {} {}: checked in {} ms ({} target records, {} mappings)", o.seed,
        step_label,
        std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - started).count(),
        audit.target_records(), audit.mappings_checked());
  };

  // Faults start once the pipeline runs: every application group has a translated commit on
  // target (and a zombie has commits to be stale about).
  {
    auto until = clock::now() + 90s;
    auto translated = [&] {
      auto on_target = watch.latest();
      for (const auto& g : n.app_groups)
        if (on_target[g].empty())
          return false;
      return true;
    };
    while (clock::now() < until && !translated())
      std::this_thread::sleep_until(clock::now() + 100ms); // the watcher's pace
    if (!translated())
      report({invariant::services, "no translated commit on target for every application group "
                                   "90 s after the start"});
    spdlog::info(
        "reliability seed {}: pipeline running after {} ms", o.seed,
        std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - load_started).count());
  }

  for (int step = 1; step <= o.steps && clock::now() < o.deadline; ++step) {
    step_label = "step " + std::to_string(step);
    std::vector<std::function<void()>> reverts;
    std::set<std::pair<kafka::mock_cluster*, int32_t>> down;
    std::set<size_t> restarted;
    std::function<void()> broker_fault; // at most one real broker fault per step, injected last
    std::map<std::string, int> step_faults;
    auto hold = o.step_duration;
    const auto step_start = clock::now();
    int count = 1 + static_cast<int>(rng() % 2);
    std::string applied;
    for (int i = 0; i < count; ++i) {
      const auto& kind = drawable[rng() % drawable.size()];
      bool injected = true;
      auto* cluster_for_clients = rng() % 2 ? mock_source.get() : mock_target.get();
      auto errors = [&](kafka::mock_cluster& c, int16_t api,
                        std::initializer_list<rd_kafka_resp_err_t> choices) {
        std::vector<rd_kafka_resp_err_t> e(1 + rng() % 4);
        for (auto& x : e)
          x = pick(rng, choices);
        c.push_request_errors(api, e);
        reverts.push_back([&c, api] { c.clear_request_errors(api); });
      };
      if (kind == fault::source_broker_down || kind == fault::target_broker_down) {
        auto& c = kind == fault::source_broker_down ? *mock_source : *mock_target;
        int32_t b = 1 + static_cast<int32_t>(rng() % 3);
        // Down twice then up twice would make the mock bind the broker's port twice (it
        // asserts): a broker already down stays down once.
        injected = down.insert({&c, b}).second;
        if (injected) {
          c.broker_down(b);
          reverts.push_back([&c, b, &down] {
            c.broker_up(b);
            down.erase({&c, b});
          });
        }
      } else if (kind == fault::latency) {
        int32_t b = 1 + static_cast<int32_t>(rng() % 3);
        int ms = 50 + static_cast<int>(rng() % 250);
        cluster_for_clients->set_rtt(b, ms);
        reverts.push_back([c = cluster_for_clients, b] { c->set_rtt(b, 0); });
      } else if (kind == fault::produce_errors) {
        errors(*mock_target, kafka::api_key::produce,
               {RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT});
      } else if (kind == fault::fetch_errors) {
        errors(*cluster_for_clients, kafka::api_key::fetch,
               {RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT});
      } else if (kind == fault::offset_commit_errors) {
        errors(*cluster_for_clients, kafka::api_key::offset_commit,
               {RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_NOT_COORDINATOR,
                RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT});
      } else if (kind == fault::offset_fetch_errors) {
        errors(*cluster_for_clients, kafka::api_key::offset_fetch,
               {RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS, RD_KAFKA_RESP_ERR_NOT_COORDINATOR});
      } else if (kind == fault::init_producer_id_errors) {
        // They meet the producer of a replicator that starts now.
        errors(*mock_target, kafka::api_key::init_producer_id,
               {RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_NOT_COORDINATOR});
        restarted.insert(f.kill9_and_restart_replicator(rng() % f.replicators.size()));
      } else if (kind == fault::end_txn_errors) {
        errors(*mock_target, kafka::api_key::end_txn,
               {RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_NOT_COORDINATOR,
                RD_KAFKA_RESP_ERR_CONCURRENT_TRANSACTIONS});
      } else if (kind == fault::kill_replicator) {
        restarted.insert(f.kill9_and_restart_replicator(rng() % f.replicators.size()));
      } else if (kind == fault::restart_replicator) {
        auto i = rng() % f.replicators.size();
        // Not one (re)started in this step: it may still be starting, before its handler.
        injected = restarted.insert(i).second;
        if (!injected)
          continue;
        terminate_replicator(i);
        f.start_replicator(i);
      } else if (kind == fault::kill_mapper) {
        auto i = rng() % f.mappers.size();
        f.mappers[i]->kill9();
        f.start_mapper(i);
      } else if (kind == fault::zombie) {
        injected = !zombie;
        if (!injected)
          continue;
        // Same pipeline, same mapping consumer group, but it reads the applications'
        // commits from a cluster where they are as they were two steps ago (early on:
        // halfway through the scenario so far, so that there is something to be stale about).
        auto now = clock::now();
        auto old = load.commits_as_of(
            std::max(load_started + (now - load_started) / 2, now - 2 * o.step_duration));
        for (const auto& [group, commits] : old) {
          std::map<kafka::topic_partition, kafka::committed_offset> c;
          for (const auto& [tp, offset] : commits)
            c[tp] = {offset, ""};
          auto written =
              kafka::group_client{{{"bootstrap.servers", stale.bootstrap_servers()}}, group}.commit(
                  c, clock::now() + 30s);
          if (!written)
            spdlog::warn("reliability: stale view of {} not written: {}", group,
                         written.error().message);
          else
            for (const auto& [tp, outcome] : *written)
              if (outcome.error)
                spdlog::warn("reliability: stale view of {} {}[{}] not written: {}", group,
                             tp.first, tp.second, rd_kafka_err2str(outcome.error));
        }
        auto env = f.env;
        env["SOURCE_BOOTSTRAP"] = stale.bootstrap_servers();
        auto name = "zombie-step-" + std::to_string(step); // a log of its own
        zombie = f.k2k("offset-mapping", name, env, o.work_dir + "/zombie.yaml");
        // The fault starts when the zombie has acted on its stale view: its log shows a stale
        // commit refused by the guard or, with the guard off, a rewind. Under load joining
        // and loading mappings take a while; from then on it acts for the step's duration.
        auto until = clock::now() + 60s;
        auto acted = [&] {
          return log_contains(f.log(name), "the target holds a newer version") ||
                 log_contains(f.log(name), "(features.applyMappingsGuard is disabled)");
        };
        while (clock::now() < until && !acted())
          std::this_thread::sleep_until(clock::now() + 100ms); // polling the log file
        if (!acted())
          spdlog::warn("reliability seed {} {}: the zombie found nothing stale to write in 60 s",
                       o.seed, step_label);
        reverts.push_back([&zombie] { zombie.reset(); }); // killed with -9
      } else if (kind == fault::frozen) {
        auto i = rng() % f.mappers.size();
        f.mappers[i]->stop();
        hold = std::max<std::chrono::milliseconds>(hold, 8s);   // past its 6 s session
        reverts.push_back([&f, i] { f.mappers[i]->resume(); }); // (or its successor: harmless)
      } else if (kind == fault::add_replicator) {
        injected = !extra_replicator;
        if (!injected)
          continue;
        // Logs as the next replicator, so that its aborted transactions are followed too.
        extra_replicator =
            f.k2k("replicate", "replicator-" + std::to_string(f.replicators.size()), f.env);
        hold = std::max<std::chrono::milliseconds>(hold, 6s);
        reverts.push_back([&] {
          if (extra_replicator->terminate(40s) != 0)
            report({invariant::services, "the extra replicator did not stop cleanly"});
          extra_replicator.reset();
        });
      } else if (kind == fault::stop_replicator) {
        auto i = rng() % f.replicators.size();
        injected = restarted.insert(i).second;
        if (!injected)
          continue;
        terminate_replicator(i);
        hold = std::max<std::chrono::milliseconds>(hold, 6s); // its partitions work elsewhere
        reverts.push_back([&f, i] { f.start_replicator(i); });
      } else if (broker_fault_on_real(kind)) {
        injected = !broker_fault;
        if (!injected)
          continue;
        // Injected after the step's other faults, so that the broker is down or frozen for
        // the step's hold, not also while a zombie starts or a worker stops.
        broker_fault = [&, kind, draw = rng(),
                        partition = static_cast<int32_t>(rng() % partitions)] {
          auto& cluster = kind == fault::kill_source_leader ? *real_source : *real_target;
          if (kind == fault::rolling_restart) {
            auto& c = draw % 2 ? *real_source : *real_target;
            for (int32_t node = 1; node <= c.brokers(); ++node) {
              c.command("stop", node);  // SIGTERM: a controlled shutdown
              c.command("start", node); // back once every broker serves metadata
            }
            return;
          }
          auto node = kind == fault::kill_target_controller ? cluster.controller()
                                                            : cluster.leader_of(n.topic, partition);
          bool pause = kind == fault::pause_target_leader;
          cluster.command(pause ? "pause" : "kill", node);
          if (pause) // past the broker's session with the controller (9 s) and the clients'
            hold = std::max<std::chrono::milliseconds>(hold, 12s);
          reverts.push_back(
              [&cluster, node, pause] { cluster.command(pause ? "resume" : "start", node); });
        };
      } else if (kind == fault::rebalance) {
        injected = !extra;
        if (!injected)
          continue;
        extra = f.k2k("offset-mapping", "offset-mapping-extra", f.env);
        hold = std::max<std::chrono::milliseconds>(hold, 6s);
        reverts.push_back([&] {
          if (extra->terminate(40s) != 0)
            report({invariant::services, "the extra offset-mapping worker did not stop cleanly"});
          extra.reset();
        });
      }
      if (injected) {
        ++result.faults[kind];
        ++step_faults[kind];
        applied += (applied.empty() ? "" : ", ") + kind;
      }
    }
    if (broker_fault)
      broker_fault();
    spdlog::info("reliability seed {} {}: {}", o.seed, step_label, applied);
    // The faults last this long: a duration of the scenario, not a wait for an event.
    std::this_thread::sleep_until(clock::now() + hold);
    for (auto it = reverts.rbegin(); it != reverts.rend(); ++it)
      (*it)();
    // How long the pipeline stood still: from the step's start until replication and
    // translation moved again after the revert (measured, not asserted; at most 120 s).
    const auto reverted = clock::now();
    auto moved = [&] {
      return replication_progress.moved_after(reverted) &&
             translation_progress.moved_after(reverted);
    };
    while (!moved() && clock::now() < reverted + 120s)
      std::this_thread::sleep_until(clock::now() + 100ms); // the watches' sampling period
    auto until = [&](const progress_watch& w) {
      return w.moved_after(reverted).value_or(clock::now());
    };
    auto replication_stall =
        replication_progress.longest_stall(step_start, until(replication_progress));
    auto translation_stall =
        translation_progress.longest_stall(step_start, until(translation_progress));
    spdlog::info("reliability seed {} {}: longest stall of replication {} ms, of translation {} ms",
                 o.seed, step_label, replication_stall.count(), translation_stall.count());
    for (const auto& [kind, count] : step_faults) {
      auto& st = result.stalls[kind];
      ++st.steps;
      st.replication = std::max(st.replication, replication_stall);
      st.translation = std::max(st.translation, translation_stall);
    }
    check_step();
    result.steps = step;
  }

  // Quiet: the applications stop, every fault is gone, the services catch up.
  step_label = "quiet";
  load.stop();
  kcat->terminate(30s);
  ensure_running();
  std::map<std::string, std::map<kafka::topic_partition, kafka::committed_offset>> final_source;
  {
    for (const auto& g : all_groups) {
      auto r =
          kafka::group_client{{{"bootstrap.servers", source_bootstrap}}, g}.committed(tps, 30s);
      if (r)
        final_source[g] = *r;
    }
  }
  auto deadline = clock::now() + o.quiet_timeout;
  std::vector<std::string> behind;
  size_t source_rewinds_kept = 0;
  for (;;) {
    source_rewinds_kept = 0;
    audit_check();
    behind.clear();
    for (int32_t p = 0; p < partitions; ++p)
      if (audit.replicated(p) < audit.source_end(p))
        behind.push_back(n.topic + "[" + std::to_string(p) + "] replicated to " +
                         std::to_string(audit.replicated(p)) + " of " +
                         std::to_string(audit.source_end(p)));
    auto on_target = watch.latest();
    auto source_highest = source_watch.highest();
    for (const auto& [g, commits] : final_source)
      for (const auto& [tp, c] : commits) {
        auto truth = audit.ground_truth(tp.second, c.offset);
        auto it = on_target[g].find(tp);
        auto now =
            it == on_target[g].end() ? std::string{"none"} : std::to_string(it->second.offset);
        if (truth && now == std::to_string(*truth))
          continue;
        // A real consumer (kcat) can commit an older source position than it had (after a
        // rebalance); the guard then rightly keeps the newer translation. Accepted when the
        // target commit is exactly the translation of a source commit the group really had,
        // above its final one.
        auto top = source_highest[g].find(tp);
        if (it != on_target[g].end() && top != source_highest[g].end() && top->second > c.offset)
          if (auto version = core::parse_guard_metadata(guard_prefix, it->second.metadata);
              version && version->source.value > c.offset && version->source.value <= top->second &&
              audit.ground_truth(tp.second, version->source.value) == it->second.offset) {
            ++source_rewinds_kept;
            continue;
          }
        behind.push_back("group " + g + " " + n.topic + "[" + std::to_string(tp.second) +
                         "]: source commit " + std::to_string(c.offset) + ", target commit " + now +
                         ", ground truth " + (truth ? std::to_string(*truth) : "none yet"));
      }
    if (behind.empty() || clock::now() > deadline)
      break;
    std::this_thread::sleep_until(clock::now() + 200ms); // the services' own pace
  }
  size_t compared = 0;
  for (const auto& [g, commits] : final_source)
    compared += commits.size();
  tally(invariant::ground_truth, compared);
  if (source_rewinds_kept)
    spdlog::info("reliability seed {}: {} group-partition(s) whose source commit went backwards "
                 "keep the newer translation (the guard refused the rewind)",
                 o.seed, source_rewinds_kept);
  for (const auto& b : behind)
    report({invariant::ground_truth,
            "after " + std::to_string(o.quiet_timeout.count()) + " s quiet: " + b});
  check_step();

  for (auto* ps : {&f.replicators, &f.mappers})
    for (size_t i = 0; i < ps->size(); ++i) {
      auto status = (*ps)[i]->terminate(40s);
      if (status != 0)
        report({invariant::services,
                std::string{ps == &f.replicators ? "replicator " : "offset-mapping "} +
                    std::to_string(i) + " exited " +
                    (status ? std::to_string(*status) : "only to SIGKILL") + " on SIGTERM"});
    }
  result.source_records = load.produced();
  result.target_commit_changes = watch.changes();
  result.uncommitted_copies = audit.uncommitted_copies();
  tally(invariant::monotonic, watch.reads());
  return result;
}

} // namespace k2k::reliability
