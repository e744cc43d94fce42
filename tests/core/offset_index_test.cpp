// OffsetIndex: run-length source -> target mapping, newest mapping wins.
#include "core/offset_index.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <random>

using namespace k2k::core;

namespace {

mapping_run run(int64_t src, int64_t tgt, int64_t count, int64_t ms = 0) {
  return {source_offset{src}, target_offset{tgt}, count, ms};
}

std::optional<int64_t> target(const offset_index& index, int64_t src) {
  auto t = index.target_of(source_offset{src});
  return t ? std::optional<int64_t>{t->value} : std::nullopt;
}

} // namespace

TEST_CASE("contiguous batches collapse into one run", "[core][index]") {
  offset_index index;
  // 10^8 source offsets replicated in batches of 500 to a target with 1000 prior records.
  constexpr int64_t total = 100'000'000, batch = 500;
  for (int64_t s = 0; s < total; s += batch)
    index.apply(run(s, 1000 + s, batch));
  CHECK(index.run_count() == 1);
  CHECK(index.memory_bytes() < 1024);
  CHECK(target(index, 0) == 1000);
  CHECK(target(index, total - 1) == 1000 + total - 1);
  CHECK(target(index, total) == std::nullopt);
  CHECK(index.covered() == source_offset{total});
}

TEST_CASE("gaps in source or target start new runs", "[core][index]") {
  //  source: 0 1 2 . . 5 6      (3,4: transaction markers / compacted)
  //  target: 7 8 9     10 11
  //  then    7 8       (target gap: a foreign record at target 9 in between)
  //          10 11
  offset_index index;
  index.apply(run(0, 7, 3));
  index.apply(run(5, 10, 2));
  REQUIRE(index.run_count() == 2);
  CHECK(target(index, 2) == 9);
  CHECK(target(index, 3) == std::nullopt);
  CHECK(target(index, 5) == 10);
  auto f = index.floor(source_offset{4});
  REQUIRE(f);
  CHECK(f->source == source_offset{2});
  CHECK(f->target == target_offset{9});
  index.apply(run(7, 13, 1)); // target jumps by one: not contiguous
  CHECK(index.run_count() == 3);
}

TEST_CASE("re-replicated offsets: the newest mapping wins", "[core][index]") {
  //  first pass   src 0..99  -> tgt 1000..1099
  //  restart at 50: src 50..119 -> tgt 1100..1169 (duplicates of 50..99 on target)
  offset_index index;
  index.apply(run(0, 1000, 100));
  index.apply(run(50, 1100, 70));
  CHECK(target(index, 49) == 1049);
  CHECK(target(index, 50) == 1100);
  CHECK(target(index, 99) == 1149);
  CHECK(target(index, 119) == 1169);
  CHECK(index.run_count() == 2);

  // A replay in the middle splits the run around it.
  index.apply(run(10, 2000, 5));
  CHECK(target(index, 9) == 1009);
  CHECK(target(index, 10) == 2000);
  CHECK(target(index, 14) == 2004);
  CHECK(target(index, 15) == 1015);
  CHECK(index.run_count() == 4);
}

TEST_CASE("prefix truncation by offset, run count and age", "[core][index]") {
  offset_index index;
  index.apply(run(0, 0, 10, 100));
  index.apply(run(20, 10, 10, 200));
  index.apply(run(40, 20, 10, 300));
  index.truncate_before(source_offset{25});
  CHECK(target(index, 24) == std::nullopt);
  CHECK(target(index, 25) == 15);
  CHECK(index.first()->source == source_offset{25});
  index.truncate_to_runs(1);
  CHECK(index.run_count() == 1);
  CHECK(target(index, 40) == 20);
  index.apply(run(60, 30, 10, 400));
  index.truncate_older_than(350);
  CHECK(index.run_count() == 1);
  CHECK(index.first()->source == source_offset{60});
  CHECK(index.covered() == source_offset{70}); // truncation never lowers coverage
}

TEST_CASE("observe_source_next only moves coverage forward", "[core][index]") {
  offset_index index;
  index.observe_source_next(source_offset{10});
  index.observe_source_next(source_offset{4});
  CHECK(index.covered() == source_offset{10});
}

// Property: over random histories with gaps, re-replication and truncation, the
// index answers exactly like a naive per-offset std::map.
TEST_CASE("OffsetIndex agrees with a naive map model", "[core][index][property]") {
  const auto seed = GENERATE(1u, 2u, 3u, 4u, 5u, 6u, 7u, 8u, 9u, 10u, 11u, 12u);
  std::mt19937_64 rng{seed};
  auto uniform = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>{lo, hi}(rng);
  };
  offset_index index;
  std::map<int64_t, int64_t> model;
  int64_t next_src = 0, next_tgt = uniform(0, 50);
  for (int step = 0; step < 400; ++step) {
    auto action = uniform(0, 99);
    if (action < 70) { // in-order batch, maybe after a source or target gap
      next_src += uniform(0, 3) == 0 ? uniform(1, 5) : 0;
      next_tgt += uniform(0, 3) == 0 ? uniform(1, 5) : 0;
      auto n = uniform(1, 20);
      index.apply(run(next_src, next_tgt, n));
      for (int64_t i = 0; i < n; ++i)
        model[next_src + i] = next_tgt + i;
      next_src += n;
      next_tgt += n;
    } else if (action < 90) { // re-replication of an earlier range to new target offsets
      auto from = uniform(0, std::max<int64_t>(0, next_src - 1));
      auto n = uniform(1, 30);
      index.apply(run(from, next_tgt, n));
      for (int64_t i = 0; i < n; ++i)
        model[from + i] = next_tgt + i;
      next_tgt += n;
      next_src = std::max(next_src, from + n);
    } else { // retention
      auto cut = uniform(0, next_src);
      index.truncate_before(source_offset{cut});
      model.erase(model.begin(), model.lower_bound(cut));
    }
    for (int q = 0; q < 20; ++q) {
      auto s = uniform(0, next_src + 5);
      auto expected = model.count(s) ? std::optional<int64_t>{model[s]} : std::nullopt;
      INFO("seed " << seed << " step " << step << " source " << s);
      REQUIRE(target(index, s) == expected);
      auto f = index.floor(source_offset{s});
      auto it = model.upper_bound(s);
      if (it == model.begin()) {
        REQUIRE_FALSE(f);
      } else {
        --it;
        REQUIRE(f);
        REQUIRE(f->source.value == it->first);
        REQUIRE(f->target.value == it->second);
      }
    }
    REQUIRE(index.first().has_value() == !model.empty());
    if (!model.empty())
      REQUIRE(index.first()->source.value == model.begin()->first);
  }
}
