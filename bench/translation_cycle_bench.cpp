// The offset-mapping service's actors at scale, with 1 scheduler thread and with 2 (or
// [threads]) in the same run:
// (0) the ceiling: the same translations on plain threads over the same indexes, no actors:
//     what [threads] threads can gain on this machine at this moment (a shared VM's second
//     core is often far from a whole core);
// (1) translations alone: [groups] group-like actors (default 1,000) each ask the
//     [partitions] partition-mapping actors (default 64, indexes of [runs] runs) for one
//     translation, the fan-out at the heart of a cycle;
// (2) whole cycles through the service's own group actors and mapping registry: owned
//     partitions, committed offsets, translations, one commit batch per group. Only the two
//     actors that talk to Kafka (source offsets, committer) are in-memory stand-ins answering
//     at once; commit_latency_bench covers the Kafka part.
// Prints the median cycle time and the speed-up. Not a test: it prints figures.
#include "bench/median.hpp"
#include "core/translation.hpp"
#include "offset_mapping/group.hpp"
#include "offset_mapping/mapping_registry.hpp"
#include "offset_mapping/messages.hpp"
#include "offset_mapping/partition_index.hpp"
#include "offset_mapping/scheduler_tuning.hpp"
#include "offset_mapping/service.hpp"

#include <caf/all.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iterator>
#include <memory>
#include <thread>
#include <vector>

using namespace k2k;
using namespace k2k::offset_mapping;
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
            return commit_report{static_cast<int32_t>(entries.size()), 0, 0, 0, false, 0};
          },
          [](forget_atom, const std::string&) {}};
}

using start_atom = caf::atom_constant<caf::atom("start")>;
using done_atom = caf::atom_constant<caf::atom("done")>;

// (1): translates one committed offset per partition, then tells `collector`.
caf::behavior fan_out(caf::event_based_actor* self, std::vector<partition_index_actor> partitions,
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

// Counts the fan-outs' `done`s and tells `waiter` once all `expected` came: one wake-up of the
// waiting thread per cycle, not one per group.
caf::behavior collector(caf::event_based_actor* self, caf::actor waiter, int expected) {
  auto seen = std::make_shared<int>(0);
  return {[=](done_atom) {
    if (++*seen == expected) {
      *seen = 0;
      self->send(waiter, done_atom::value);
    }
  }};
}

enum class workload { plain_threads, translations, cycles };

using bench::median;

// Every partition's index: runs of 100 offsets with a gap of 1 between them.
template <class F> void for_each_run(int runs, F f) {
  for (int r = 0; r < runs; ++r)
    f(int64_t(r) * 101, int64_t(r) * 100, int64_t{100});
}

int64_t covered_offsets(int runs) {
  return int64_t(runs - 1) * 101 + 100;
}

// (0): each thread translates its share of the groups' committed offsets, one per partition.
double median_plain_seconds(size_t threads, int groups, int partitions, int runs, int cycles) {
  std::vector<core::offset_index> indexes(static_cast<size_t>(partitions));
  for (auto& index : indexes) {
    for_each_run(runs, [&](int64_t source, int64_t target, int64_t count) {
      index.apply({core::source_offset{source}, core::target_offset{target}, count, 0});
      index.observe_source_next(core::source_offset{source + count});
    });
  }
  auto covered = covered_offsets(runs);
  std::vector<double> times;
  std::vector<int64_t> sums(threads); // what the lookups found, so they are not optimised away
  for (int c = 0; c < cycles; ++c) {
    // Each cycle's lookups done `repeat` times over, so starting the threads does not count.
    constexpr int repeat = 20;
    auto start = clock_type::now();
    std::vector<std::thread> workers;
    for (size_t t = 0; t < threads; ++t)
      workers.emplace_back([&, t] {
        int64_t sum = 0;
        for (int r = 0; r < repeat; ++r)
          for (auto g = int(t); g < groups; g += int(threads))
            for (const auto& index : indexes)
              sum += core::translate(index, core::source_offset{int64_t(g * 37 % covered)})
                         .target.value;
        sums[t] += sum;
      });
    for (auto& w : workers)
      w.join();
    times.push_back(std::chrono::duration<double>(clock_type::now() - start).count() / repeat);
  }
  int64_t total = 0;
  for (auto s : sums)
    total += s;
  if (total <= 0)
    std::exit(1);
  return median(times);
}

double median_cycle_seconds(workload what, size_t threads, int groups, int partitions, int runs,
                            int cycles) {
  if (what == workload::plain_threads)
    return median_plain_seconds(threads, groups, partitions, runs, cycles);
  caf::actor_system_config cfg;
  add_message_types(cfg);
  tune_scheduler(cfg); // as k2k runs

  cfg.set("scheduler.max-threads", threads);
  if (std::getenv("K2K_SCHEDULER_SHARING"))
    cfg.set("scheduler.policy", caf::atom("sharing"));
  caf::actor_system system{cfg};
  auto counters = std::make_shared<service_counters>();
  std::vector<partition_index_actor> mapping;
  auto registry = system.spawn(mapping_registry);
  for (int p = 0; p < partitions; ++p) {
    auto a = system.spawn(partition_index, index_retention{}, counters, config::on_error::fail);
    mapping_update u{"bench", 0, 0, "orders", p, 0, {}};
    for_each_run(runs, [&](int64_t source, int64_t target, int64_t count) {
      u.runs.insert(u.runs.end(), {source, target, count});
      u.source_next = source + count;
    });
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
  auto covered = covered_offsets(runs);
  std::vector<double> times;
  if (what == workload::translations) {
    auto all_done = system.spawn(collector, caf::actor{self}, groups);
    std::vector<caf::actor> senders;
    for (int g = 0; g < groups; ++g)
      senders.push_back(system.spawn(fan_out, mapping, all_done, int64_t(g * 37 % covered)));
    for (int c = 0; c < cycles; ++c) {
      auto start = clock_type::now();
      for (const auto& g : senders)
        self->send(g, start_atom::value);
      self->receive([](done_atom) {});
      times.push_back(std::chrono::duration<double>(clock_type::now() - start).count());
    }
    for (const auto& g : senders)
      self->send_exit(g, caf::exit_reason::user_shutdown);
    self->send_exit(all_done, caf::exit_reason::user_shutdown);
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
  auto cycles_done = [&](uint64_t n) { counters->wait_for_cycles(n, 10min); };
  cycles_done(uint64_t(groups));
  for (int c = 0; c < cycles; ++c) {
    auto start = clock_type::now();
    for (const auto& g : group_actors) // "commits changed": a cycle now
      self->send(g, commits_atom::value, std::vector<source_commit>{});
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
      {workload::plain_threads,
       "(0) the ceiling: the same translations on plain threads, no actors"},
      {workload::translations, "(1) translations alone (partition-mapping actors)"},
      {workload::cycles, "(2) whole cycles (group actors, registry, partition actors)"}};
  // Every round runs every part with 1 and N threads in turn, so a noisy moment of this shared
  // machine hits the ceiling and the actors alike.
  constexpr size_t n_parts = std::size(parts);
  std::vector<double> one[n_parts], many[n_parts], ratio[n_parts], share[n_parts];
  for (int r = 0; r < rounds; ++r)
    for (size_t k = 0; k < n_parts; ++k) {
      auto what = parts[k].first;
      one[k].push_back(median_cycle_seconds(what, 1, groups, partitions, runs, cycles));
      many[k].push_back(median_cycle_seconds(what, threads, groups, partitions, runs, cycles));
      ratio[k].push_back(one[k].back() / many[k].back());
      share[k].push_back(ratio[k].back() / ratio[0].back());
    }
  for (size_t k = 0; k < n_parts; ++k) {
    // Part (0)'s lines say "plain thread" so tools/bench-report.sh tells them apart.
    auto kind = k == 0 ? "plain" : "scheduler";
    std::printf("%s\n", parts[k].second);
    std::printf("  1 %s thread : %8.1f ms  (%.0f translations/s)\n", kind, median(one[k]) * 1000,
                groups * partitions / median(one[k]));
    std::printf("  %zu %s threads: %8.1f ms  (%.0f translations/s)\n", threads, kind,
                median(many[k]) * 1000, groups * partitions / median(many[k]));
    std::printf("  speed-up %zu vs 1 thread: %.2f  (rounds:", threads, median(ratio[k]));
    for (auto x : ratio[k])
      std::printf(" %.2f", x);
    std::printf(")\n");
    if (k > 0) {
      std::printf("  share of the ceiling's speed-up: %.2f  (rounds:", median(share[k]));
      for (auto x : share[k])
        std::printf(" %.2f", x);
      std::printf(")\n");
    }
  }
  return 0;
}
