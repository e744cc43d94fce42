// Thousands of consumer groups on one offset-mapping worker: groups.offsetClients per-group
// (a consumer handle per group and cluster) against shared (one helper process per lane), in
// the same run, on mock clusters of 3 brokers each. For each mode and group count: the time
// until every group-partition is on target (first pass), seconds per pass after that, the
// worker's threads, broker connections and RSS (its helper processes included), and the
// latency from a source commit to its translation on target. Not a test: it prints figures,
// one line per run ("mode groups first_pass_s pass_s threads connections rss_mib p50_ms
// p99_ms"), and "not reached" where a run did not finish within its time limit.
#include "bench/median.hpp"
#include "config/load.hpp"
#include "kafka/admin.hpp"
#include "kafka/client.hpp"
#include "kafka/group_offsets.hpp"
#include "kafka/group_offsets_helper.hpp"
#include "kafka/mock_cluster.hpp"
#include "offset_mapping/scheduler_tuning.hpp"
#include "offset_mapping/service.hpp"
#include "replication/worker.hpp"
#include "support/many_groups.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

using namespace k2k;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

constexpr int records = 100;

struct process_usage {
  bool complete = true; // false: /proc could not be read (out of descriptors)
  size_t threads = 0;
  size_t rss_kib = 0;
  std::set<std::string> sockets; // "socket:[inode]"
};

// This process and its children (the helpers): threads, RSS and open sockets.
process_usage usage() {
  process_usage out;
  auto self = std::to_string(::getpid());
  std::vector<std::string> pids{self};
  std::error_code err; // out of descriptors (per-group runs can be): counted as far as it can
  fs::directory_iterator processes{"/proc", err};
  if (err)
    out.complete = false;
  for (const auto& entry : processes) {
    auto name = entry.path().filename().string();
    if (!std::all_of(name.begin(), name.end(), ::isdigit))
      continue;
    std::ifstream stat{entry.path() / "stat"};
    std::string line;
    std::getline(stat, line);
    auto close = line.rfind(')');
    if (close == std::string::npos)
      continue;
    std::istringstream rest{line.substr(close + 2)};
    std::string state, ppid;
    rest >> state >> ppid;
    if (ppid == self)
      pids.push_back(name);
  }
  for (const auto& pid : pids) {
    std::ifstream status{"/proc/" + pid + "/status"};
    if (!status)
      out.complete = false;
    for (std::string line; std::getline(status, line);) {
      if (line.rfind("Threads:", 0) == 0)
        out.threads += std::stoul(line.substr(8));
      if (line.rfind("VmRSS:", 0) == 0)
        out.rss_kib += std::stoul(line.substr(6));
    }
    for (const auto& fd : fs::directory_iterator("/proc/" + pid + "/fd", err)) {
      auto target = fs::read_symlink(fd.path(), err);
      if (!err && target.string().rfind("socket:", 0) == 0)
        out.sockets.insert(target.string());
    }
  }
  return out;
}

// TCP connections in this machine's table whose remote port is one of `ports` (the brokers):
// the clients' side of each connection.
size_t connections_to(const std::set<int>& ports) {
  size_t n = 0;
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in{table};
    std::string line;
    std::getline(in, line); // header
    while (std::getline(in, line)) {
      std::istringstream fields{line};
      std::string slot, local, remote, st;
      fields >> slot >> local >> remote >> st;
      if (st != "01") // ESTABLISHED
        continue;
      auto port = std::stoi(remote.substr(remote.find(':') + 1), nullptr, 16);
      n += ports.count(port);
    }
  }
  return n;
}

std::set<int> broker_ports(const std::string& bootstrap) {
  std::set<int> out;
  std::istringstream list{bootstrap};
  for (std::string hp; std::getline(list, hp, ',');)
    out.insert(std::stoi(hp.substr(hp.rfind(':') + 1)));
  return out;
}

struct run_result {
  bool reached = false;
  uint64_t done = 0; // group-partitions on target when the limit came
  double first_pass_s = 0, pass_s = 0;
  process_usage use;
  size_t connections = 0;
  double p50_ms = 0, p99_ms = 0;
  size_t inexact = 0; // group-partitions not at the ground truth after the first pass
};

struct bench_setup {
  std::string source, target; // bootstrap servers
  int partitions = 8;
  std::string source_commits = "poll"; // the mock has no __consumer_offsets
  int samples = 20;
  // Between latency samples: on real clusters they span 40 s, past the 30-45 s recheck of
  // settled groups (offset_mapping/group.hpp), so a recheck wave would show.
  std::chrono::milliseconds sample_gap{0};
  std::chrono::seconds limit{120};
};

run_result run(const std::string& mode, int groups, const bench_setup& setup) {
  const auto& source = setup.source;
  const auto& target = setup.target;
  const int partitions = setup.partitions;
  const auto limit = setup.limit;
  auto run_name = mode + "-" + std::to_string(groups);
  // Source commits of this run's groups spread over 0..records-1 (below the end, so a latency
  // sample's move to the end always moves), through one helper (fast for thousands).
  test::commit_spread(source, run_name, groups, "orders", partitions, records - 1);
  kafka::group_offsets_helper writer{{{"bootstrap.servers", source}},
                                     kafka::find_group_offsets_helper().value_or_throw()};
  std::string names;
  for (int g = 0; g < groups; ++g)
    names += (g ? ", " : "") + test::group_name(run_name, g);
  auto yaml = "name: " + run_name + "\nsource: {kafka: {common: {bootstrap.servers: \"" + source +
              "\"}}}\ntarget: {kafka: {common: {bootstrap.servers: \"" + target +
              "\"}}}\nreplication:\n  - source: {topic: [orders]}\n"
              "offsetMapping: {partitions: 2}\n"
              "groups: {consumerGroups: [" +
              names + "], pollInterval: 100ms, offsetClients: " + mode +
              ", sourceCommits: " + setup.source_commits + "}\n";
  auto loaded = config::load_string(yaml, "bench.yaml");
  if (!loaded.ok())
    throw std::runtime_error("bench config is invalid");
  auto ports = broker_ports(source);
  for (int port : broker_ports(target))
    ports.insert(port);
  auto before = usage();
  auto connections_before = connections_to(ports);

  run_result out;
  caf::actor_system_config system_cfg;
  offset_mapping::add_message_types(system_cfg);
  offset_mapping::tune_scheduler(system_cfg);
  caf::actor_system system{system_cfg};
  auto started = clock_type::now();
  offset_mapping::offset_mapping_service service{system, loaded.config};
  auto& counters = *service.counters();
  auto all = uint64_t(groups) * uint64_t(partitions);
  out.reached = counters.wait_for(
      [&](const auto& c) { return c.commits_written + c.commits_unchanged >= all; }, limit);
  out.done = counters.commits_written + counters.commits_unchanged;
  out.first_pass_s = std::chrono::duration<double>(clock_type::now() - started).count();
  auto after = usage();
  out.use.complete = before.complete && after.complete;
  out.use.threads = after.threads > before.threads ? after.threads - before.threads : 0;
  out.use.rss_kib = after.rss_kib > before.rss_kib ? after.rss_kib - before.rss_kib : 0;
  out.connections = connections_to(ports) - std::min(connections_to(ports), connections_before);
  if (out.reached) {
    // Counted as written is not the same as exact: every group-partition against the ground
    // truth of the target's records, before the latency samples move any.
    out.inexact =
        test::inexact_group_partitions(target, run_name, groups, "orders", partitions, records - 1)
            .size();
    constexpr int passes = 3;
    auto from = counters.cycles.load();
    auto start = clock_type::now();
    counters.wait_for_cycles(from + uint64_t(passes) * uint64_t(groups), 10min);
    out.pass_s = std::chrono::duration<double>(clock_type::now() - start).count() / passes;
    // Latency: a sample of groups moves on source; each until its translation is on target.
    auto target_admin = kafka::make_admin_client({{"bootstrap.servers", target}});
    std::vector<double> ms;
    const int samples = std::min(setup.samples, groups); // each sample moves a group of its own
    for (int i = 0; i < samples; ++i) {
      std::this_thread::sleep_for(setup.sample_gap); // spacing samples, not synchronising
      int g = (i * 7919) % groups; // distinct: 7919 is prime, no count here a multiple
      auto group = test::group_name(run_name, g);
      auto moved = records; // forward: the guard keeps a moved-back group where it was
      auto committed_at = clock_type::now();
      writer.commit(group, {{{"orders", 0}, {moved, ""}}}, committed_at + 30s).value_or_throw();
      for (;;) {
        auto now_on_target =
            kafka::list_group_offsets(target_admin.get(), group, {{"orders", 0}}, 10s);
        if (now_on_target && now_on_target->count({"orders", 0}) &&
            now_on_target->at({"orders", 0}).metadata.find("src=" + std::to_string(moved) + ";") !=
                std::string::npos)
          break;
        if (clock_type::now() - committed_at > 60s)
          throw std::runtime_error(group + ": not translated within 60 s");
        std::this_thread::sleep_for(2ms); // polling the target, as a user would see it
      }
      ms.push_back(
          std::chrono::duration<double, std::milli>(clock_type::now() - committed_at).count());
    }
    std::sort(ms.begin(), ms.end());
    out.p50_ms = ms[ms.size() / 2];
    out.p99_ms = ms[std::min(ms.size() - 1, size_t(ms.size() * 99 / 100))];
  }
  service.stop();
  return out;
}

} // namespace

// groups_bench [group counts, comma-separated] [partitions] [per-group limit] [seconds limit]
//              [samples] [modes, comma-separated] [source bootstrap] [target bootstrap]
// With bootstrap servers (real clusters: bench/groups.sh), source commits are read from
// __consumer_offsets (sourceCommits auto); without, two mock clusters of 3 brokers are used
// and polled.
int main(int argc, char** argv) {
  std::string counts = argc > 1 ? argv[1] : "300,1000,2000,10000";
  bench_setup setup;
  setup.partitions = argc > 2 ? std::atoi(argv[2]) : 8;
  int per_group_max = argc > 3 ? std::atoi(argv[3]) : 1000;
  setup.limit = std::chrono::seconds(argc > 4 ? std::atoi(argv[4]) : 120);
  setup.samples = argc > 5 ? std::atoi(argv[5]) : 20;
  std::vector<std::string> modes;
  std::istringstream mode_list{argc > 6 ? argv[6] : "shared,per-group"};
  for (std::string m; std::getline(mode_list, m, ',');)
    modes.push_back(m);
  spdlog::set_level(spdlog::level::critical); // per-group runs can log thousands of errors
  std::unique_ptr<kafka::mock_cluster> mock_source, mock_target;
  if (argc > 8) {
    setup.source = argv[7];
    setup.target = argv[8];
    setup.source_commits = "auto";
    setup.sample_gap = 400ms;
  } else {
    mock_source = std::make_unique<kafka::mock_cluster>(3);
    mock_target = std::make_unique<kafka::mock_cluster>(3);
    setup.source = mock_source->bootstrap_servers();
    setup.target = mock_target->bootstrap_servers();
  }
  const int partitions = setup.partitions;
  if (mock_source) { // the mock has no CreateTopics
    mock_source->create_topic("orders", partitions);
    mock_target->create_topic("orders", partitions);
    mock_target->create_topic("__k2k_offset_mappings", 2);
  } else {
    for (const auto& [bootstrap, topic] :
         {std::pair{setup.source, "orders"}, std::pair{setup.target, "orders"},
          std::pair{setup.target, "__k2k_offset_mappings"}}) {
      auto admin = kafka::make_admin_client({{"bootstrap.servers", bootstrap}});
      auto n = std::string{topic} == "orders" ? partitions : 2;
      if (auto failed = kafka::create_topic(admin.get(), {topic, n, -1, {}}, 30s)) {
        std::fprintf(stderr, "creating %s: %s\n", topic, failed->message.c_str());
        return 1;
      }
    }
  }
  {
    auto p = kafka::make_producer({{"bootstrap.servers", setup.source}});
    for (int part = 0; part < partitions; ++part)
      for (int i = 0; i < records; ++i)
        rd_kafka_producev(p.get(), RD_KAFKA_V_TOPIC("orders"), RD_KAFKA_V_PARTITION(part),
                          RD_KAFKA_V_VALUE(const_cast<char*>("x"), 1),
                          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
    rd_kafka_flush(p.get(), 10000);
  }
  // Replicated once (the mappings stay on target); each run translates groups of its own.
  {
    auto cfg = config::load_string(
        "name: groups-bench\nsource: {kafka: {common: "
        "{bootstrap.servers: \"" +
            setup.source + "\"}}}\ntarget: {kafka: {common: {bootstrap.servers: \"" + setup.target +
            "\"}}}\nreplication:\n  - source: {topic: [orders]}\n"
            "offsetMapping: {partitions: 2}\n",
        "bench.yaml");
    replication::replication_worker replicator{cfg.config};
    std::thread replicating{[&] { replicator.run(); }};
    if (!replicator.wait_for_status(
            [&](const auto& s) { return s.records >= uint64_t(records) * uint64_t(partitions); },
            60s)) {
      std::fprintf(stderr, "replication did not finish within 60 s\n");
      return 1;
    }
    replicator.stop();
    replicating.join();
  }
  std::printf("groups bench: %s, %d partitions, pollInterval 100ms, sourceCommits %s, 4 I/O "
              "lanes, %d s limit per run, %d latency samples; per-group runs up to %d groups\n",
              mock_source ? "mock clusters of 3 brokers" : "real clusters", partitions,
              setup.source_commits.c_str(), static_cast<int>(setup.limit.count()), setup.samples,
              per_group_max);
  std::printf(
      "mode groups first_pass_s pass_s threads connections rss_mib p50_ms p99_ms inexact\n");
  std::istringstream list{counts};
  for (std::string count; std::getline(list, count, ',');) {
    int groups = std::stoi(count);
    // A process does not give the system back the heap a run grew: for RSS figures of each
    // run's own, run one mode and count per process (tools/bench-groups-report.sh does).
    for (const auto& mode : modes) {
      if (mode == "per-group" && groups > per_group_max) {
        std::printf("%s %d not-run\n", mode.c_str(), groups);
        continue;
      }
      auto r = run(mode, groups, setup);
      auto threads = r.use.complete ? std::to_string(r.use.threads) : std::string{"n/a"};
      auto rss = r.use.complete ? std::to_string(r.use.rss_kib / 1024) : std::string{"n/a"};
      auto connections = r.use.complete ? std::to_string(r.connections) : std::string{"n/a"};
      if (!r.reached)
        std::printf("%s %d not-reached %llu/%llu %s %s %s\n", mode.c_str(), groups,
                    static_cast<unsigned long long>(r.done),
                    static_cast<unsigned long long>(uint64_t(groups) * uint64_t(partitions)),
                    threads.c_str(), connections.c_str(), rss.c_str());
      else
        std::printf("%s %d %.2f %.3f %s %s %s %.0f %.0f %zu\n", mode.c_str(), groups,
                    r.first_pass_s, r.pass_s, threads.c_str(), connections.c_str(), rss.c_str(),
                    r.p50_ms, r.p99_ms, r.inexact);
      std::fflush(stdout);
    }
  }
  return 0;
}
