// The translation rule, one case per test, each drawn as a diagram.
#include "core/translation.hpp"

#include <catch2/catch.hpp>

using namespace k2k::core;

namespace {

// source 10..14 -> target 100..104, gap at 15..16, source 17..19 -> target 105..107,
// replicator consumed up to 20 (src_next).
//
//   source  10  11  12  13  14 [15  16] 17  18  19 | 20
//   target 100 101 102 103 104          105 106 107 |
offset_index example() {
  offset_index index;
  index.apply({source_offset{10}, target_offset{100}, 5, 0});
  index.apply({source_offset{17}, target_offset{105}, 3, 0});
  index.observe_source_next(source_offset{20});
  return index;
}

translation at(int64_t committed) {
  return translate(example(), source_offset{committed});
}

} // namespace

TEST_CASE("S mapped: commit T(S)", "[core][translation]") {
  //  committed 12 ("10, 11 done") -> resume at target 102, the copy of source 12
  CHECK(at(12).outcome == translation_outcome::exact);
  CHECK(at(12).target == target_offset{102});
  CHECK(at(17).target == target_offset{105});
}

TEST_CASE("S in a gap: commit T(largest mapped below S) + 1", "[core][translation]") {
  //  committed 16: records < 16 done; 15 was a marker -> after target 104 -> 105
  CHECK(at(16).outcome == translation_outcome::after_mapped);
  CHECK(at(16).target == target_offset{105});
  //  committed 20 == covered: everything replicated was consumed -> 107 + 1
  CHECK(at(20).outcome == translation_outcome::after_mapped);
  CHECK(at(20).target == target_offset{108});
}

TEST_CASE("S beyond covered: pending, no guess", "[core][translation]") {
  //  committed 21 > src_next 20: the replicator has not read that far yet
  CHECK(at(21).outcome == translation_outcome::pending);
  CHECK_FALSE(at(21).committable());
}

TEST_CASE("S below the first mapping: commit T(first)", "[core][translation]") {
  //  committed 3: source 3..9 were never replicated (before retention/start)
  CHECK(at(3).outcome == translation_outcome::below_first);
  CHECK(at(3).target == target_offset{100});
  CHECK(at(0).target == target_offset{100});
}

TEST_CASE("nothing mapped yet: pending or nothing known", "[core][translation]") {
  offset_index empty;
  CHECK(translate(empty, source_offset{0}).outcome == translation_outcome::nothing_known);
  CHECK(translate(empty, source_offset{1}).outcome == translation_outcome::pending);
  //  source 0..4 were all aborted records: covered but nothing to point at
  empty.observe_source_next(source_offset{5});
  CHECK(translate(empty, source_offset{5}).outcome == translation_outcome::nothing_known);
}
