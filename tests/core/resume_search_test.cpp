// Locating a migrated group's resume position on target from the tracing headers, over
// simulated target partitions: position i holds the source offset its k2k_offset header
// names, or nothing (a record some other writer produced).
#include "core/resume_search.hpp"

#include <catch2/catch.hpp>

#include <optional>
#include <random>
#include <vector>

using namespace k2k::core;

namespace {

using partition = std::vector<std::optional<int64_t>>; // target offset -> source offset

constexpr std::nullopt_t foreign = std::nullopt;

// Serves reads of `p` starting at target offset `low`; like a fetch, one read returns at
// most `per_fetch` records.
struct simulated_target {
  partition records;
  int64_t low = 0;
  int64_t per_fetch = 500;

  int64_t high() const { return low + int64_t(records.size()); }

  probe_fn probe() const {
    return [this](int64_t from, int64_t n) -> k2k::result<probe_window> {
      probe_window w;
      w.end = std::min({from + n, from + per_fetch, high()});
      for (int64_t t = from; t < w.end; ++t) {
        ++w.records_read;
        if (auto s = records[size_t(t - low)])
          w.traced.push_back({t, *s});
        else
          ++w.untraced;
      }
      return w;
    };
  }

  resume_position find(int64_t committed, resume_search_options options = {}) const {
    auto r = find_resume_position(committed, low, high(), probe(), options);
    REQUIRE(r);
    return *r;
  }

  // The answer by reading everything: after the last traced record below S, the first
  // traced one (the newest copy of S wins, as in the offset-mapping service).
  std::optional<int64_t> ground_truth(int64_t committed) const {
    std::optional<size_t> last_below;
    for (size_t i = 0; i < records.size(); ++i)
      if (records[i] && *records[i] < committed)
        last_below = i;
    for (size_t i = last_below ? *last_below + 1 : 0; i < records.size(); ++i)
      if (records[i])
        return low + int64_t(i);
    return std::nullopt; // nothing replicated at or above S
  }
};

partition contiguous(int64_t from, int64_t count) {
  partition p;
  for (int64_t s = from; s < from + count; ++s)
    p.push_back(s);
  return p;
}

partition operator+(partition a, const partition& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

partition foreign_records(int n) {
  return partition(size_t(n), foreign);
}

} // namespace

TEST_CASE("contiguous replication behind prior target data", "[core][resume]") {
  //   target   0 .. 99   100  101 ... 1099
  //   header   (none)     0    1  ...  999
  simulated_target t{foreign_records(100) + contiguous(0, 1000)};
  CHECK(t.find(0).target_offset == 100);
  CHECK(t.find(0).how == resume_how::exact);
  CHECK(t.find(500).target_offset == 600);
  CHECK(t.find(999).target_offset == 1099);
  // everything consumed: resume after the last replicated record
  auto end = t.find(1000);
  CHECK(end.how == resume_how::after_last);
  CHECK(end.target_offset == 1100);
  CHECK(end.source_offset == 999);
  CHECK(t.find(5000).how == resume_how::after_last);
}

TEST_CASE("S in a source gap resumes at the next replicated record", "[core][resume]") {
  //   header  0..9 [10..14 gap: markers, aborted, compacted] 15..29
  simulated_target t{contiguous(0, 10) + contiguous(15, 15)};
  auto r = t.find(12);
  CHECK(r.how == resume_how::next);
  CHECK(r.target_offset == 10); // the copy of source 15
  CHECK(r.source_offset == 15);
}

TEST_CASE("S below the first replicated record", "[core][resume]") {
  // replication started at source 300 (older records had expired)
  simulated_target t{contiguous(300, 100), 50};
  auto r = t.find(7);
  CHECK(r.how == resume_how::next);
  CHECK(r.target_offset == 50);
  CHECK(r.source_offset == 300);
}

TEST_CASE("foreign records interleaved with replicated ones are stepped over", "[core][resume]") {
  //   header  0 1 2 - - - 3 4 - 5 ... (a second producer writes to the target partition)
  partition p;
  for (int64_t s = 0; s < 2000; ++s) {
    p.push_back(s);
    if (s % 3 == 2)
      p.insert(p.end(), {foreign, foreign, foreign});
  }
  simulated_target t{p};
  for (int64_t s : {0, 1, 2, 3, 700, 1998, 1999})
    CHECK(t.find(s).target_offset == t.ground_truth(s));
  CHECK(t.find(0).untraced_seen + t.find(1999).untraced_seen > 0);
}

TEST_CASE("a re-replicated stretch: the newest copy of S wins", "[core][resume]") {
  //   target  0 ....... 599 | 600 ............ 1199
  //   header  0 ....... 599 | 400 ............  999   (restart resumed from 400)
  simulated_target t{contiguous(0, 600) + contiguous(400, 600)};
  // 500 exists twice; a consumer resuming at its first copy would re-read 400..499 later
  auto r = t.find(500);
  CHECK(r.how == resume_how::exact);
  CHECK(r.target_offset == 700);
  // 300 was never re-sent: its only copy; the re-sent 400..599 are duplicates on target anyway
  CHECK(t.find(300).target_offset == 300);
  CHECK(t.find(599).target_offset == 799);
  CHECK(t.find(600).target_offset == 800);

  SECTION("without verification the search can settle on the stale copy") {
    // proves the verification step is what finds the newest copy: interpolation from the
    // tail lands in the first run, where 500 also sits between 499 and 501
    resume_search_options blind;
    blind.verify = 0;
    blind.hint = 500;
    CHECK(t.find(500, blind).target_offset == 500);
    resume_search_options verified;
    verified.hint = 500;
    CHECK(t.find(500, verified).target_offset == 700);
  }
}

TEST_CASE("empty or untraced partitions", "[core][resume]") {
  CHECK(simulated_target{}.find(0).how == resume_how::untraced);
  simulated_target headers_off{foreign_records(300)};
  auto r = headers_off.find(10);
  CHECK(r.how == resume_how::untraced);
  CHECK(r.untraced_seen == 300);
  resume_search_options limited;
  limited.tail_limit = 100;
  CHECK(headers_off.find(10, limited).records_read < 300);
}

TEST_CASE("10^6 contiguous records: a handful of probes, not a scan", "[core][resume]") {
  simulated_target t{foreign_records(1000) + contiguous(0, 1'000'000), 0, 500};
  for (int64_t s : {int64_t{0}, int64_t{1}, int64_t{123'457}, int64_t{999'999}}) {
    auto r = t.find(s);
    CHECK(r.target_offset == 1000 + s);
    CHECK(r.probes <= 64);
  }
}

TEST_CASE("probe errors are passed on", "[core][resume]") {
  probe_fn failing = [](int64_t, int64_t) -> k2k::result<probe_window> {
    return k2k::error_info{k2k::ec::kafka_error, "broker down"};
  };
  auto r = find_resume_position(5, 0, 100, failing);
  REQUIRE_FALSE(r);
  CHECK(r.error().message == "broker down");
}

TEST_CASE("property: matches a full read over random replication histories", "[core][resume]") {
  // Histories: runs of contiguous source offsets with gaps, foreign records, and restarts
  // that re-send at most `depth` records (the replicator's in-flight bound).
  std::mt19937_64 rng(GENERATE(1, 2, 3, 4, 5, 6, 7, 8));
  const int64_t depth = 40;
  partition p;
  int64_t next = int64_t(rng() % 20);
  for (int step = 0; step < 3000; ++step) {
    auto dice = rng() % 100;
    if (dice < 3)
      next += 1 + int64_t(rng() % 8); // a gap on source
    else if (dice < 6)
      p.push_back(foreign);
    else if (dice < 7)
      next = std::max<int64_t>(0, next - 1 - int64_t(rng() % depth)); // restart, re-send
    else
      p.push_back(next++);
  }
  simulated_target t{p, int64_t(rng() % 1000), int64_t(1 + rng() % 300)};
  resume_search_options options;
  options.window = int64_t(1 + rng() % 64);
  options.verify = 3 * depth; // records, foreign ones included
  for (int i = 0; i < 200; ++i) {
    int64_t s = int64_t(rng() % uint64_t(next + 20));
    auto r = t.find(s, options);
    auto truth = t.ground_truth(s);
    INFO("S=" << s << " window=" << options.window << " per_fetch=" << t.per_fetch);
    if (truth) {
      REQUIRE(r.target_offset == *truth);
      REQUIRE(r.source_offset >= s);
    } else {
      REQUIRE(r.how == resume_how::after_last);
    }
  }
}
