// The actor part of one translation cycle at scale: [groups] group actors (default 1,000)
// each ask the [partitions] partition-mapping actors (default 64, each holding an index of
// [runs] runs) to translate one committed offset, as a cycle does after reading the source
// commits and before committing. Measured with 1 scheduler thread and with 2 (or
// [threads]) in the same run; prints the cycle time and the ratio. Kafka I/O (the source
// read and the commit per group) is not included: commit_latency_bench covers it.
// Not a test: it prints figures.
#include "actors/messages.hpp"
#include "actors/offset_mapping_service.hpp"
#include "actors/partition_mapping.hpp"

#include <caf/all.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

using namespace k2k;
using namespace k2k::actors;
using clock_type = std::chrono::steady_clock;

namespace {

using start_atom = caf::atom_constant<caf::atom("start")>;
using done_atom = caf::atom_constant<caf::atom("done")>;

// Translates one committed offset per partition, then tells `collector`.
caf::behavior group(caf::event_based_actor* self, std::vector<partition_mapping_actor> partitions,
                    caf::actor collector, int64_t committed) {
  return {[=](start_atom) {
    auto pending = std::make_shared<size_t>(partitions.size());
    for (const auto& p : partitions)
      self->request(p, caf::infinite, translate_atom::value, committed)
          .then([=](const translation_reply&) {
            if (--*pending == 0)
              self->send(collector, done_atom::value);
          });
  }};
}

double median_cycle_seconds(size_t threads, int groups, int partitions, int runs, int cycles) {
  caf::actor_system_config cfg;
  add_message_types(cfg);
  cfg.set("scheduler.max-threads", threads);
  if (std::getenv("K2K_SCHEDULER_SHARING"))
    cfg.set("scheduler.policy", caf::atom("sharing"));
  caf::actor_system system{cfg};
  auto counters = std::make_shared<service_counters>();
  std::vector<partition_mapping_actor> mapping;
  for (int p = 0; p < partitions; ++p) {
    auto a = system.spawn(partition_mapping, index_retention{}, counters, config::on_error::fail);
    mapping_update u{"bench", 0, 0, "orders", p, 0, {}};
    for (int r = 0; r < runs; ++r) { // runs of 100 offsets with a gap of 1 between them
      u.runs.insert(u.runs.end(), {int64_t(r) * 101, int64_t(r) * 100, 100});
      u.source_next = int64_t(r) * 101 + 100;
    }
    caf::anon_send(a, apply_atom::value, std::move(u));
    mapping.push_back(a);
  }
  caf::scoped_actor self{system};
  std::vector<caf::actor> group_actors;
  for (int g = 0; g < groups; ++g)
    group_actors.push_back(
        system.spawn(group, mapping, caf::actor{self}, int64_t(g * 37 % (runs * 101))));
  std::vector<double> times;
  for (int c = 0; c < cycles; ++c) {
    auto start = clock_type::now();
    for (const auto& g : group_actors)
      self->send(g, start_atom::value);
    for (int g = 0; g < groups; ++g)
      self->receive([](done_atom) {});
    times.push_back(std::chrono::duration<double>(clock_type::now() - start).count());
  }
  for (const auto& g : group_actors)
    self->send_exit(g, caf::exit_reason::user_shutdown);
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

} // namespace

int main(int argc, char** argv) {
  int groups = argc > 1 ? std::atoi(argv[1]) : 1000;
  int partitions = argc > 2 ? std::atoi(argv[2]) : 64;
  int runs = argc > 3 ? std::atoi(argv[3]) : 1000;
  size_t threads = argc > 4 ? size_t(std::atoi(argv[4])) : 2;
  const int cycles = 9;
  std::printf("one translation cycle: %d groups x %d partitions = %d translations, indexes of "
              "%d runs, median of %d cycles\n",
              groups, partitions, groups * partitions, runs, cycles);
  double one = median_cycle_seconds(1, groups, partitions, runs, cycles);
  double many = median_cycle_seconds(threads, groups, partitions, runs, cycles);
  std::printf("  1 scheduler thread : %8.1f ms  (%.0f translations/s)\n", one * 1000,
              groups * partitions / one);
  std::printf("  %zu scheduler threads: %8.1f ms  (%.0f translations/s)\n", threads, many * 1000,
              groups * partitions / many);
  std::printf("  speed-up %zu vs 1 thread: %.2f\n", threads, one / many);
  return 0;
}
