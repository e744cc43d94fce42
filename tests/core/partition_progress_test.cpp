// partition_progress: only the gap-free delivered prefix becomes mappings.
#include "core/partition_progress.hpp"

#include <catch2/catch.hpp>

using namespace k2k::core;

namespace {
source_offset s(int64_t v) {
  return source_offset{v};
}
target_offset t(int64_t v) {
  return target_offset{v};
}
} // namespace

TEST_CASE("out-of-order delivery reports release only the gap-free prefix", "[core][progress]") {
  //  sent      10 11 12 [13 marker] 14
  //  delivered    11    ..          14   -> nothing yet (10 outstanding)
  partition_progress p;
  for (int64_t o : {10, 11, 12, 14})
    p.sent(s(o));
  p.delivered(s(11), t(501));
  p.delivered(s(14), t(503));
  CHECK_FALSE(p.take_confirmed_prefix());
  p.delivered(s(10), t(500));
  auto first = p.take_confirmed_prefix();
  REQUIRE(first);
  REQUIRE(first->runs.size() == 1);
  CHECK(first->runs[0].source_start == s(10));
  CHECK(first->runs[0].count == 2);
  CHECK(first->source_next == s(12));
  CHECK(p.in_flight() == 2);
  p.delivered(s(12), t(502));
  auto second = p.take_confirmed_prefix();
  REQUIRE(second);
  // 12->502 and 14->503: the source gap at 13 splits the runs
  REQUIRE(second->runs.size() == 2);
  CHECK(second->runs[1].source_start == s(14));
  CHECK(second->runs[1].target_start == t(503));
  CHECK(second->source_next == s(15));
  CHECK(p.in_flight() == 0);
}

TEST_CASE("a failed delivery holds back everything after it", "[core][progress]") {
  partition_progress p;
  for (int64_t o = 0; o < 4; ++o)
    p.sent(s(o));
  p.delivered(s(0), t(0));
  p.failed(s(1));
  p.delivered(s(2), t(2));
  p.delivered(s(3), t(3));
  auto prefix = p.take_confirmed_prefix();
  REQUIRE(prefix);
  CHECK(prefix->source_next == s(1));
  CHECK_FALSE(p.take_confirmed_prefix());
  REQUIRE(p.first_failure());
  CHECK(*p.first_failure() == s(1));
  p.reset();
  CHECK(p.in_flight() == 0);
  CHECK_FALSE(p.first_failure());
}

TEST_CASE("reports for offsets never sent change nothing", "[core][progress]") {
  //  sent  5 6 [7 gap] 8      reports for 4 (before), 7 (the gap), 9 (after) are ignored
  partition_progress p;
  for (int64_t o : {5, 6, 8})
    p.sent(s(o));
  p.delivered(s(4), t(100));
  p.delivered(s(7), t(101));
  p.failed(s(9));
  CHECK_FALSE(p.first_failure());
  CHECK_FALSE(p.take_confirmed_prefix());
  p.delivered(s(5), t(200));
  p.delivered(s(6), t(201));
  p.delivered(s(8), t(202));
  auto prefix = p.take_confirmed_prefix();
  REQUIRE(prefix);
  REQUIRE(prefix->runs.size() == 2); // 5..6 -> 200..201, 8 -> 202
  CHECK(prefix->runs[0].count == 2);
  CHECK(prefix->runs[1].source_start == s(8));
  CHECK(prefix->source_next == s(9));
}

TEST_CASE("a delivery without a target offset is sent again, never mapped", "[core][progress]") {
  //  sent 0 1 2;  1 is acked at offset -1 (stored somewhere unknown)  -> prefix stops at 1
  partition_progress p;
  for (int64_t o = 0; o < 3; ++o)
    p.sent(s(o));
  p.delivered(s(0), t(10));
  p.delivered(s(1), t(-1));
  p.delivered(s(2), t(12));
  auto prefix = p.take_confirmed_prefix();
  REQUIRE(prefix);
  CHECK(prefix->source_next == s(1));
  for (const auto& run : prefix->runs)
    CHECK(run.target_start.value >= 0);
  REQUIRE(p.first_failure());
  CHECK(*p.first_failure() == s(1));
}

TEST_CASE("a mapping reaches past offsets without records up to the consumer's position, never "
          "past a record still waiting to be copied",
          "[core][progress]") {
  // Copied 30..59; the consumer's position is 90.
  mapped_prefix prefix{{{s(30), t(130), 30, 0}}, s(60)};
  // 60..89 held no record to copy (a transaction's marker, records compacted away).
  CHECK(mapped_source_next(prefix, 90, std::nullopt) == s(90));
  // 60..89 were fetched and wait for the batch's commit: a restart must copy them.
  CHECK(mapped_source_next(prefix, 90, 60) == s(60));
  // 60..61 were markers; 62.. wait.
  CHECK(mapped_source_next(prefix, 90, 62) == s(62));
  // No position known (-1): the records' own end.
  CHECK(mapped_source_next(prefix, -1, std::nullopt) == s(60));
}
