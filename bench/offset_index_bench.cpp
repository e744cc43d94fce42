// OffsetIndex against a per-offset std::map<source, target> baseline, in one run:
// build time, lookups/s (translate-style: exact or floor), and memory.
// Not a test: only ratios within one run mean anything.
#include "core/offset_index.hpp"
#include "core/translation.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <vector>

using namespace k2k::core;
using clock_type = std::chrono::steady_clock;

namespace {

double seconds_since(clock_type::time_point t) {
  return std::chrono::duration<double>(clock_type::now() - t).count();
}

struct result {
  double build_s, lookups_per_s;
  size_t bytes;
  int64_t checksum;
};

// `offsets` replicated in batches of `batch`; every `gap_every` batches a target gap (a
// foreign record) starts a new run.
result run_index(int64_t offsets, int64_t batch, int gap_every, const std::vector<int64_t>& qs) {
  auto t = clock_type::now();
  offset_index index;
  int64_t tgt = 0;
  for (int64_t s = 0, b = 0; s < offsets; s += batch, ++b) {
    if (gap_every > 0 && b % gap_every == 0)
      ++tgt;
    index.apply({source_offset{s}, target_offset{tgt}, batch, 0});
    tgt += batch;
  }
  index.observe_source_next(source_offset{offsets});
  double build = seconds_since(t);
  t = clock_type::now();
  int64_t sum = 0;
  for (auto q : qs)
    sum += translate(index, source_offset{q}).target.value;
  return {build, qs.size() / seconds_since(t), index.memory_bytes(), sum};
}

result run_map(int64_t offsets, int64_t batch, int gap_every, const std::vector<int64_t>& qs) {
  auto t = clock_type::now();
  std::map<int64_t, int64_t> m;
  int64_t tgt = 0;
  for (int64_t s = 0, b = 0; s < offsets; s += batch, ++b) {
    if (gap_every > 0 && b % gap_every == 0)
      ++tgt;
    for (int64_t i = 0; i < batch; ++i)
      m.emplace_hint(m.end(), s + i, tgt + i);
    tgt += batch;
  }
  double build = seconds_since(t);
  t = clock_type::now();
  int64_t sum = 0;
  for (auto q : qs) {
    auto it = m.find(q);
    sum += it != m.end() ? it->second : std::prev(m.upper_bound(q))->second + 1;
  }
  // A red-black tree node: 3 pointers + colour + key + value, plus allocator overhead.
  size_t bytes = m.size() * (sizeof(void*) * 4 + sizeof(int64_t) * 2 + 16);
  return {build, qs.size() / seconds_since(t), bytes, sum};
}

} // namespace

int main(int argc, char** argv) {
  const int64_t offsets = argc > 1 ? std::atoll(argv[1]) : 10'000'000, batch = 500;
  std::mt19937_64 rng{7};
  std::vector<int64_t> qs(2'000'000);
  for (auto& q : qs)
    q = std::uniform_int_distribution<int64_t>{0, offsets - 1}(rng);
  std::printf("%lld source offsets in batches of %lld, %zu random lookups\n\n",
              static_cast<long long>(offsets), static_cast<long long>(batch), qs.size());
  std::printf("%-34s %10s %14s %14s %10s\n", "case", "build s", "lookups/s", "bytes", "bytes/run");
  for (int gap_every : {0, 10, 1}) {
    auto idx = run_index(offsets, batch, gap_every, qs);
    auto map = run_map(offsets, batch, gap_every, qs);
    if (idx.checksum != map.checksum) {
      std::printf("MISMATCH: index and map disagree\n");
      return 1;
    }
    int64_t runs = gap_every == 0 ? 1 : (offsets / batch + gap_every - 1) / gap_every;
    char label[64];
    std::snprintf(label, sizeof label, "OffsetIndex, %lld run(s)", static_cast<long long>(runs));
    std::printf("%-34s %10.3f %14.0f %14zu %10.1f\n", label, idx.build_s, idx.lookups_per_s,
                idx.bytes, static_cast<double>(idx.bytes) / runs);
    std::printf("%-34s %10.3f %14.0f %14zu %10s\n", "std::map baseline", map.build_s,
                map.lookups_per_s, map.bytes, "-");
    std::printf("  lookups: index/map = %.1fx, memory: map/index = %.0fx\n\n",
                idx.lookups_per_s / map.lookups_per_s,
                static_cast<double>(map.bytes) / static_cast<double>(idx.bytes));
  }
  return 0;
}
