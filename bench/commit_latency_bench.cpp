// Source commit -> translated target commit latency of the offset-mapping service at
// groups.pollInterval 250ms (goal: p99 <= 1 s), on one mock source + one mock target
// with the real replicator. Not a test.
#include "bench/orders_clusters.hpp"
#include "config/load.hpp"
#include "core/guard.hpp"
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
#include <random>
#include <thread>

using namespace k2k;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

int main(int argc, char** argv) {
  int samples = argc > 1 ? std::atoi(argv[1]) : 40;
  const char* samples_file = argc > 2 ? argv[2] : nullptr; // one latency in ms per line
  spdlog::set_level(spdlog::level::warn);
  bench::orders_clusters clusters{samples * 10 + 10};
  auto& source = clusters.source;
  auto& target = clusters.target;
  auto yaml = "name: latency\nsource: {kafka: {common: {bootstrap.servers: \"" +
              source.bootstrap_servers() +
              "\"}}}\ntarget: {kafka: {common: {bootstrap.servers: \"" +
              target.bootstrap_servers() +
              "\"}}}\nreplication:\n  - source: {topic: [orders]}\n"
              "offsetMapping: {partitions: 1}\n"
              "groups: {consumerGroups: [app], pollInterval: 250ms}\n"
              "replicator: {reportInterval: 1h}\n";
  auto cfg = config::load_string(yaml, "bench.yaml").config;
  replication::replication_worker replicator{cfg};
  std::thread replicating{[&] { replicator.run(); }};
  caf::actor_system_config system_cfg;
  offset_mapping::add_message_types(system_cfg);
  offset_mapping::tune_scheduler(system_cfg);
  caf::actor_system system{system_cfg};
  offset_mapping::offset_mapping_service service{system, cfg};

  auto source_admin = kafka::make_admin_client({{"bootstrap.servers", source.bootstrap_servers()}});
  auto target_admin = kafka::make_admin_client({{"bootstrap.servers", target.bootstrap_servers()}});
  auto translated_source = [&] {
    auto now = kafka::list_group_offsets(target_admin.get(), "app", {{"orders", 0}}, 10s);
    if (!now || now->empty())
      return int64_t{-1};
    auto v = core::parse_guard_metadata("k2k_", now->begin()->second.metadata);
    return v ? v->source.value : int64_t{-1};
  };
  // Warm-up (not counted): start-up is group joins and reading the mappings, not latency.
  kafka::alter_group_offsets(source_admin.get(), "app", {{{"orders", 0}, {5, ""}}}, 10s);
  if (!service.counters()->wait_for([&](const auto&) { return translated_source() == 5; }, 60s)) {
    std::printf("warm-up: no translation within 60 s\n");
    return 1;
  }
  std::vector<double> ms;
  std::mt19937 rng{11};
  for (int i = 1; i <= samples; ++i) {
    // A random phase against the poll cycle, as real commits have.
    std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 250));
    int64_t s = i * 10;
    kafka::alter_group_offsets(source_admin.get(), "app", {{{"orders", 0}, {s, ""}}}, 10s);
    auto t0 = clock_type::now();
    // Checked after every translation cycle of the service.
    bool ok =
        service.counters()->wait_for([&](const auto&) { return translated_source() == s; }, 30s);
    if (!ok) {
      std::printf("sample %d: no translation within 30 s\n", i);
      return 1;
    }
    ms.push_back(std::chrono::duration<double, std::milli>(clock_type::now() - t0).count());
  }
  service.stop();
  replicator.stop();
  replicating.join();
  std::sort(ms.begin(), ms.end());
  if (samples_file)
    if (auto* f = std::fopen(samples_file, "w")) {
      for (double v : ms)
        std::fprintf(f, "%.1f\n", v);
      std::fclose(f);
    }
  auto pct = [&](double p) { return ms[static_cast<size_t>(p * (ms.size() - 1))]; };
  std::printf("source commit -> target commit, pollInterval 250ms, %d samples after warm-up:\n",
              samples);
  std::printf("  p50 %.0f ms   p90 %.0f ms   p99 %.0f ms   max %.0f ms   (goal p99 <= 1000 ms)\n",
              pct(0.5), pct(0.9), pct(0.99), ms.back());
  return 0;
}
