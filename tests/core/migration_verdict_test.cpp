// judge_resume: a migrated partition is ready, behind or untraced.
#include "core/migration_verdict.hpp"

#include <catch2/catch.hpp>

using namespace k2k::core;
using k2k::result;

namespace {
// Source records exist at `offsets` (sorted); reads answer from them and are counted.
struct source_log {
  std::vector<int64_t> offsets;
  int reads = 0;
  migration_reads reads_fn() {
    auto from = [this](int64_t f) -> result<std::optional<int64_t>> {
      ++reads;
      for (auto o : offsets)
        if (o >= f)
          return std::optional<int64_t>{o};
      return std::optional<int64_t>{};
    };
    return {from, [from] { return from(0); }};
  }
};

migration_facts facts(int64_t committed, resume_how how, int64_t target, int64_t source) {
  migration_facts f;
  f.committed = committed;
  f.found.how = how;
  f.found.target_offset = target;
  f.found.source_offset = source;
  f.target_high = 500;
  f.target = "orders[0]";
  return f;
}
} // namespace

TEST_CASE("exact and next are ready at the found offset, without a read", "[core][migrate]") {
  source_log log{{10, 11, 12, 20}};
  auto exact = judge_resume(facts(12, resume_how::exact, 107, 12), log.reads_fn());
  REQUIRE(exact);
  CHECK(exact->status == migration_status::ready);
  CHECK(exact->found == "exact");
  CHECK(exact->target_offset == 107);
  // S = 13 does not exist on source; 20 is the first record above it on target.
  auto f = facts(13, resume_how::next, 108, 20);
  f.first_source_at_committed = 15; // 15..19 exist on source but are not on target
  auto next = judge_resume(f, log.reads_fn());
  REQUIRE(next);
  CHECK(next->found == "next");
  CHECK(next->note == "source offsets 15..19 are not on target");
  CHECK(log.reads == 0);
}

TEST_CASE("after the last replicated record: ready, unless a record before S is missing",
          "[core][migrate]") {
  //  source   10 11 12 .. 20          S = 21
  //  target   ... copy of 12 @ 107    (13..20 not replicated yet?)
  source_log gap{{10, 11, 12, 20}};
  auto behind = judge_resume(facts(21, resume_how::after_last, 108, 12), gap.reads_fn());
  REQUIRE(behind);
  CHECK(behind->status == migration_status::behind);
  CHECK(behind->note == "replicated up to source offset 12, source record 20 not yet on target");
  // Nothing exists on source between 12 and S (markers, compaction): ready right after it.
  source_log holes{{10, 11, 12, 30}};
  auto ready = judge_resume(facts(21, resume_how::after_last, 108, 12), holes.reads_fn());
  REQUIRE(ready);
  CHECK(ready->status == migration_status::ready);
  CHECK(ready->found == "after-last");
  CHECK(ready->target_offset == 108);
}

TEST_CASE("nothing of the partition on target", "[core][migrate]") {
  // The group consumed nothing that exists on source: it starts at the target's end.
  source_log empty{{}};
  auto end = judge_resume(facts(5, resume_how::untraced, -1, -1), empty.reads_fn());
  REQUIRE(end);
  CHECK(end->status == migration_status::ready);
  CHECK(end->found == "end-of-target");
  CHECK(end->target_offset == 500);
  // Records without the offset header only: the headers were switched off.
  source_log log{{0, 1, 2}};
  auto f = facts(2, resume_how::untraced, -1, -1);
  f.found.untraced_seen = 40;
  f.found.records_read = 40;
  auto untraced = judge_resume(f, log.reads_fn());
  REQUIRE(untraced);
  CHECK(untraced->status == migration_status::untraced);
  CHECK(untraced->note.find("none of the 40 records read from orders[0] carries the "
                            "k2k_offset header") == 0);
  // Some headers seen (other partitions' copies): replication has not reached this one.
  f.offset_headers_seen = true;
  auto behind = judge_resume(f, log.reads_fn());
  REQUIRE(behind);
  CHECK(behind->status == migration_status::behind);
}

TEST_CASE("a failed source read is the verdict's error", "[core][migrate]") {
  migration_reads failing{[](int64_t) -> result<std::optional<int64_t>> {
                            return k2k::error_info{k2k::ec::kafka_error, "source down"};
                          },
                          []() -> result<std::optional<int64_t>> {
                            return k2k::error_info{k2k::ec::kafka_error, "source down"};
                          }};
  auto v = judge_resume(facts(21, resume_how::after_last, 108, 12), failing);
  REQUIRE_FALSE(v);
  CHECK(v.error().message == "source down");
}
