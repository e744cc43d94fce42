// Offset rewind protection: the metadata format and the dominance rule.
#include "core/guard.hpp"

#include <catch2/catch.hpp>

using namespace k2k::core;

namespace {
guard_version v(int64_t src, int32_t p, int64_t pos) {
  return {source_offset{src}, p, pos};
}
} // namespace

TEST_CASE("guard metadata round-trips in the documented format", "[core][guard]") {
  auto text = encode_guard_metadata("k2k_", v(1234, 3, 987654));
  CHECK(text == "k2k_v1;src=1234;map=3:987654");
  auto parsed = parse_guard_metadata("k2k_", text);
  REQUIRE(parsed);
  CHECK(*parsed == v(1234, 3, 987654));
}

TEST_CASE("metadata of another prefix or garbage is foreign", "[core][guard]") {
  CHECK_FALSE(parse_guard_metadata("k2k_", ""));
  CHECK_FALSE(parse_guard_metadata("k2k_", "consumer-metadata"));
  CHECK_FALSE(parse_guard_metadata("k2k_", "other_v1;src=1;map=0:1"));
  CHECK_FALSE(parse_guard_metadata("k2k_", "k2k_v2;src=1;map=0:1"));
  CHECK_FALSE(parse_guard_metadata("k2k_", "k2k_v1;src=;map=0:1"));
  CHECK_FALSE(parse_guard_metadata("k2k_", "k2k_v1;src=-5;map=0:1"));
  CHECK_FALSE(parse_guard_metadata("k2k_", "k2k_v1;src=1;map=0"));
  CHECK_FALSE(parse_guard_metadata("k2k_", "k2k_v1;src=1;map=0:1;extra"));
  CHECK_FALSE(parse_guard_metadata("k2k_", "k2k_v1;src=99999999999999999999999;map=0:1"));
  CHECK_FALSE(parse_guard_metadata("k2k_", "k2k_v1;src=1;map=9999999999:1"));
  CHECK_FALSE(parse_guard_metadata("", "v1;src=1;map=0:1"));
  CHECK(parse_guard_metadata("dr.", "dr.v1;src=1;map=0:1"));
}

TEST_CASE("a version dominates only when nothing is older and something newer", "[core][guard]") {
  CHECK(dominates(v(11, 0, 5), v(10, 0, 5)));
  CHECK(dominates(v(10, 0, 6), v(10, 0, 5)));
  CHECK(dominates(v(11, 0, 6), v(10, 0, 5)));
  CHECK_FALSE(dominates(v(10, 0, 5), v(10, 0, 5))); // equal
  CHECK_FALSE(dominates(v(9, 0, 9), v(10, 0, 5)));  // older source offset
  CHECK_FALSE(dominates(v(20, 0, 4), v(10, 0, 5))); // stale view of the mappings
  // Different mapping partitions: positions incomparable, the source offset decides.
  CHECK(dominates(v(11, 1, 0), v(10, 0, 5)));
  CHECK_FALSE(dominates(v(10, 1, 99), v(10, 0, 5)));
}

TEST_CASE("decide_commit: write, unchanged, stale, foreign, guard off", "[core][guard]") {
  auto ours = [](int64_t offset, guard_version ver) {
    return std::optional<current_commit>{
        {target_offset{offset}, encode_guard_metadata("k2k_", ver)}};
  };
  const auto newer = v(20, 0, 50);
  CHECK(decide_commit(std::nullopt, target_offset{7}, newer, "k2k_", true) ==
        guard_decision::write);
  CHECK(decide_commit(ours(5, v(10, 0, 40)), target_offset{7}, newer, "k2k_", true) ==
        guard_decision::write);
  CHECK(decide_commit(ours(7, v(10, 0, 40)), target_offset{7}, newer, "k2k_", true) ==
        guard_decision::skip_unchanged);
  //  a stale instance (mapping position 30 < 40) must not move the commit back
  CHECK(decide_commit(ours(9, v(25, 0, 40)), target_offset{7}, v(20, 0, 30), "k2k_", true) ==
        guard_decision::skip_stale);
  std::optional<current_commit> foreign{{target_offset{3}, "app-owned"}};
  CHECK(decide_commit(foreign, target_offset{7}, newer, "k2k_", true) ==
        guard_decision::skip_foreign);
  // With the guard disabled every differing commit is written (troubleshooting, full reset).
  CHECK(decide_commit(foreign, target_offset{7}, newer, "k2k_", false) == guard_decision::write);
  CHECK(decide_commit(ours(9, v(25, 0, 40)), target_offset{7}, v(20, 0, 30), "k2k_", false) ==
        guard_decision::write);
}
