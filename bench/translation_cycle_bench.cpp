// The offset-mapping service's actors at scale, with 1 scheduler thread and with 2 (or
// [threads]) in the same run:
// (1) translations alone: [groups] group-like actors (default 1,000) each ask the
//     [partitions] partition-mapping actors (default 64, indexes of [runs] runs) for one
//     translation, the fan-out at the heart of a cycle;
// (2) whole cycles through the service's own group actors and mapping registry: owned
//     partitions, committed offsets, translations, one commit batch per group. Only the two
//     actors that talk to Kafka (source offsets, committer) are in-memory stand-ins answering
//     at once; commit_latency_bench covers the Kafka part.
// Prints the median cycle time and the speed-up. Not a test: it prints figures.
#include "actors/group.hpp"
#include "actors/mapping_registry.hpp"
#include "actors/messages.hpp"
#include "actors/offset_mapping_service.hpp"
#include "actors/partition_mapping.hpp"

#include <caf/all.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <vector>

using namespace k2k;
using namespace k2k::actors;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {

// Each group's committed offsets: somewhere in the indexes, differing between groups.
source_offsets_actor::behavior_type in_memory_source(int64_t covered) {
  return {[=](fetch_atom, const std::string& group, std::vector<source_commit> wanted) {
    auto offset = static_cast<int64_t>(std::hash<std::string>{}(group) % uint64_t(covered));
    for (auto& c : wanted)
      c.offset = offset;
    return wanted;
  }};
}

committer_actor::behavior_type in_memory_committer() {
  return {[=](commit_atom, const std::string&, const std::vector<commit_entry>& entries) {
    return commit_report{static_cast<int32_t>(entries.size()), 0, 0, 0, false, ""};
  }};
}

using start_atom = caf::atom_constant<caf::atom("start")>;
using done_atom = caf::atom_constant<caf::atom("done")>;

// (1): translates one committed offset per partition, then tells `collector`.
caf::behavior fan_out(caf::event_based_actor* self, std::vector<partition_mapping_actor> partitions,
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

enum class workload { translations, cycles };

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double median_cycle_seconds(workload what, size_t threads, int groups, int partitions, int runs,
                            int cycles) {
  caf::actor_system_config cfg;
  add_message_types(cfg);
  cfg.set("scheduler.max-threads", threads);
  if (std::getenv("K2K_SCHEDULER_SHARING"))
    cfg.set("scheduler.policy", caf::atom("sharing"));
  caf::actor_system system{cfg};
  auto counters = std::make_shared<service_counters>();
  std::vector<partition_mapping_actor> mapping;
  auto registry = system.spawn(mapping_registry);
  for (int p = 0; p < partitions; ++p) {
    auto a = system.spawn(partition_mapping, index_retention{}, counters, config::on_error::fail);
    mapping_update u{"bench", 0, 0, "orders", p, 0, {}};
    for (int r = 0; r < runs; ++r) { // runs of 100 offsets with a gap of 1 between them
      u.runs.insert(u.runs.end(), {int64_t(r) * 101, int64_t(r) * 100, 100});
      u.source_next = int64_t(r) * 101 + 100;
    }
    caf::anon_send(a, apply_atom::value, std::move(u));
    mapping.push_back(a);
    caf::anon_send(registry, register_atom::value, std::string{"orders"}, int32_t(p), int32_t(0),
                   a);
  }
  caf::anon_send(registry, ready_atom::value, int32_t(0));
  caf::scoped_actor self{system};
  // Sent after the registrations from this thread, so answered after them.
  self->request(registry, caf::infinite, owned_atom::value, uint64_t{0})
      .receive(
          [&](uint64_t, const std::vector<owned_partition>& owned) {
            if (owned.size() != size_t(partitions))
              std::exit(1);
          },
          [](const caf::error&) { std::exit(1); });
  auto covered = int64_t(runs - 1) * 101 + 100;
  std::vector<double> times;
  if (what == workload::translations) {
    std::vector<caf::actor> senders;
    for (int g = 0; g < groups; ++g)
      senders.push_back(
          system.spawn(fan_out, mapping, caf::actor{self}, int64_t(g * 37 % covered)));
    for (int c = 0; c < cycles; ++c) {
      auto start = clock_type::now();
      for (const auto& g : senders)
        self->send(g, start_atom::value);
      for (int g = 0; g < groups; ++g)
        self->receive([](done_atom) {});
      times.push_back(std::chrono::duration<double>(clock_type::now() - start).count());
    }
    for (const auto& g : senders)
      self->send_exit(g, caf::exit_reason::user_shutdown);
    return median(times);
  }
  auto source = system.spawn(in_memory_source, covered);
  auto committer = system.spawn(in_memory_committer);
  // A group runs one cycle when spawned, then one per tick sent below (the poll interval is
  // too long to tick by itself).
  std::vector<group_actor> group_actors;
  for (int g = 0; g < groups; ++g)
    group_actors.push_back(system.spawn(group, "group-" + std::to_string(g), 1h, registry, source,
                                        committer, counters));
  auto cycles_done = [&](uint64_t n) {
    counters->wait_for([&](const auto& c) { return c.cycles >= n; }, 10min);
  };
  cycles_done(uint64_t(groups));
  for (int c = 0; c < cycles; ++c) {
    auto start = clock_type::now();
    for (const auto& g : group_actors)
      self->send(g, tick_atom::value);
    cycles_done(uint64_t(groups) * uint64_t(c + 2));
    times.push_back(std::chrono::duration<double>(clock_type::now() - start).count());
  }
  if (counters->translated != uint64_t(groups) * uint64_t(partitions) * uint64_t(cycles + 1)) {
    std::fprintf(stderr, "expected every translation to be committable, got %llu\n",
                 static_cast<unsigned long long>(counters->translated.load()));
    std::exit(1);
  }
  for (const auto& g : group_actors)
    self->send_exit(g, caf::exit_reason::user_shutdown);
  return median(times);
}

} // namespace

int main(int argc, char** argv) {
  int groups = argc > 1 ? std::atoi(argv[1]) : 1000;
  int partitions = argc > 2 ? std::atoi(argv[2]) : 64;
  int runs = argc > 3 ? std::atoi(argv[3]) : 1000;
  size_t threads = argc > 4 ? size_t(std::atoi(argv[4])) : 2;
  const int cycles = 9, rounds = argc > 5 ? std::max(1, std::atoi(argv[5])) : 5;
  std::printf("%d groups x %d partitions = %d translations per cycle, indexes of %d runs; median "
              "of %d cycles, %d rounds taking turns (median shown)\n",
              groups, partitions, groups * partitions, runs, cycles, rounds);
  const std::pair<workload, const char*> parts[] = {
      {workload::translations, "(1) translations alone (partition-mapping actors)"},
      {workload::cycles, "(2) whole cycles (group actors, registry, partition actors)"}};
  for (const auto& [what, title] : parts) {
    // 1 and N threads take turns, so a noisy moment of this shared machine hits both.
    std::vector<double> one, many, ratio;
    for (int r = 0; r < rounds; ++r) {
      one.push_back(median_cycle_seconds(what, 1, groups, partitions, runs, cycles));
      many.push_back(median_cycle_seconds(what, threads, groups, partitions, runs, cycles));
      ratio.push_back(one.back() / many.back());
    }
    std::printf("%s\n", title);
    std::printf("  1 scheduler thread : %8.1f ms  (%.0f translations/s)\n", median(one) * 1000,
                groups * partitions / median(one));
    std::printf("  %zu scheduler threads: %8.1f ms  (%.0f translations/s)\n", threads,
                median(many) * 1000, groups * partitions / median(many));
    std::printf("  speed-up %zu vs 1 thread: %.2f  (rounds:", threads, median(ratio));
    for (auto x : ratio)
      std::printf(" %.2f", x);
    std::printf(")\n");
  }
  return 0;
}
