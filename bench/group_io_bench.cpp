// The Kafka side of translation cycles over many groups: how long one pass over every group
// takes with groups.ioParallelism 1 (one source reader, one committer: every group's round
// trips one after another) and with more lanes, on mock clusters whose brokers answer after
// [rtt_ms], with the real replicator and offset-mapping service. Lane counts take turns over
// [rounds] rounds. Not a test: it prints figures.
#include "bench/median.hpp"
#include "bench/orders_clusters.hpp"
#include "config/load.hpp"
#include "kafka/admin.hpp"
#include "kafka/client.hpp"
#include "kafka/group_offsets.hpp"
#include "kafka/mock_cluster.hpp"
#include "offset_mapping/scheduler_tuning.hpp"
#include "offset_mapping/service.hpp"
#include "replication/worker.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

using namespace k2k;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {

std::string group_name(int g) {
  return "app-" + std::to_string(g);
}

// Each service run has a pipeline name (so a mapping consumer group) of its own: librdkafka's mock
// keeps a group that a member left waiting ~45 s (the session timeout) before the next join.
std::string pipeline_yaml(const std::string& name, const kafka::mock_cluster& source,
                          const kafka::mock_cluster& target, int groups, int lanes) {
  std::string names;
  for (int g = 0; g < groups; ++g)
    names += (g ? ", " : "") + group_name(g);
  return "name: " + name + "\nsource: {kafka: {common: {bootstrap.servers: \"" +
         source.bootstrap_servers() + "\"}}}\ntarget: {kafka: {common: {bootstrap.servers: \"" +
         target.bootstrap_servers() +
         "\"}}}\nreplication:\n  - source: {topic: [orders]}\n"
         "offsetMapping: {partitions: 1}\n"
         "groups: {consumerGroups: [" +
         names + "], pollInterval: 10ms, ioParallelism: " + std::to_string(lanes) +
         "}\n"
         "replicator: {reportInterval: 1h}\n";
}

// Seconds per pass over every group, once every group has finished a first pass (which makes
// each group's clients: a cost paid once).
double seconds_per_pass(const config::pipeline_config& cfg, int groups) {
  caf::actor_system_config system_cfg;
  offset_mapping::add_message_types(system_cfg);
  offset_mapping::tune_scheduler(system_cfg);
  caf::actor_system system{system_cfg};
  auto started = clock_type::now();
  offset_mapping::offset_mapping_service service{system, cfg};
  auto& counters = *service.counters();
  auto all = uint64_t(groups);
  if (!counters.wait_for(
          [&](const auto& c) { return c.commits_written + c.commits_unchanged >= all; }, 10min)) {
    std::fprintf(stderr, "not every group was translated within 10 minutes\n");
    std::exit(1);
  }
  constexpr int passes = 3;
  auto from = counters.cycles.load();
  auto start = clock_type::now();
  counters.wait_for_cycles(from + uint64_t(passes) * all, 10min);
  auto took = std::chrono::duration<double>(clock_type::now() - start).count() / passes;
  auto stopping = clock_type::now();
  service.stop();
  std::printf(
      "  (ioParallelism %d: first pass %.1f s, making every group's clients; stop %.1f s)\n",
      cfg.groups.io_parallelism, std::chrono::duration<double>(start - started).count(),
      std::chrono::duration<double>(clock_type::now() - stopping).count());
  return took;
}

} // namespace

int main(int argc, char** argv) {
  int groups = argc > 1 ? std::atoi(argv[1]) : 100;
  int rtt_ms = argc > 2 ? std::atoi(argv[2]) : 5;
  int lanes = argc > 3 ? std::atoi(argv[3]) : 4;
  int rounds = argc > 4 ? std::max(1, std::atoi(argv[4])) : 2;
  spdlog::set_level(spdlog::level::warn);
  bench::orders_clusters clusters{100};
  auto& source = clusters.source;
  auto& target = clusters.target;
  auto base =
      config::load_string(pipeline_yaml("group-io", source, target, groups, 1), "bench.yaml");
  if (!base.ok()) {
    std::fprintf(stderr, "bench config is invalid\n");
    return 1;
  }
  // Everything replicated, every group committed somewhere on source, then the brokers slowed down.
  {
    replication::replication_worker replicator{base.config};
    std::thread replicating{[&] { replicator.run(); }};
    if (!replicator.wait_for_status([](const auto& s) { return s.records >= 100; }, 60s)) {
      std::fprintf(stderr, "replication did not finish within 60 s\n");
      return 1;
    }
    replicator.stop();
    replicating.join();
  }
  auto admin = kafka::make_admin_client({{"bootstrap.servers", source.bootstrap_servers()}});
  for (int g = 0; g < groups; ++g)
    kafka::alter_group_offsets(admin.get(), group_name(g), {{{"orders", 0}, {1 + g % 99, ""}}},
                               10s);
  source.set_rtt(1, rtt_ms);
  target.set_rtt(1, rtt_ms);

  std::printf("%d groups, brokers answering after %d ms, pollInterval 10ms; seconds per pass "
              "over every group (median of %d rounds taking turns)\n",
              groups, rtt_ms, rounds);
  std::vector<double> one, many, ratio;
  for (int r = 0; r < rounds; ++r) {
    auto name = [&](int l) { return "group-io-" + std::to_string(r) + "-" + std::to_string(l); };
    auto cfg_one =
        config::load_string(pipeline_yaml(name(1), source, target, groups, 1), "b.yaml").config;
    auto cfg_many =
        config::load_string(pipeline_yaml(name(lanes), source, target, groups, lanes), "b.yaml")
            .config;
    one.push_back(seconds_per_pass(cfg_one, groups));
    many.push_back(seconds_per_pass(cfg_many, groups));
    ratio.push_back(one.back() / many.back());
  }
  using bench::median;
  std::printf("  ioParallelism 1 : %7.3f s per pass  (%.1f ms per group)\n", median(one),
              median(one) * 1000 / groups);
  std::printf("  ioParallelism %-2d: %7.3f s per pass  (%.1f ms per group)\n", lanes, median(many),
              median(many) * 1000 / groups);
  std::printf("  speed-up: %.2f  (rounds:", median(ratio));
  for (auto x : ratio)
    std::printf(" %.2f", x);
  std::printf(")\n");
  return 0;
}
