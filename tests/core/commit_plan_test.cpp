// plan_commits: the guard per partition, counted, and what the operator hears.
#include "core/commit_plan.hpp"

#include <catch2/catch.hpp>

using namespace k2k::core;

namespace {
proposed_commit propose(int32_t partition, int64_t target, int64_t source, int64_t position) {
  return {{"orders", partition}, target_offset{target}, {source_offset{source}, 0, position}};
}
current_commit ours(int64_t target, int64_t source, int64_t position) {
  return {target_offset{target},
          encode_guard_metadata("k2k_", {source_offset{source}, 0, position})};
}
} // namespace

TEST_CASE("each partition gets the guard's decision", "[core][commit-plan]") {
  //  partition  current (target, src, map)   proposed          decision
  //  0          none                          57 (src 60)       write
  //  1          57, src 60, map 10            57 (src 60)       unchanged
  //  2          57, src 60, map 10            27 (src 30)       stale
  //  3          57, metadata "app"            27 (src 30)       foreign
  std::map<target_partition, current_commit> current{{{"orders", 1}, ours(57, 60, 10)},
                                                     {{"orders", 2}, ours(57, 60, 10)},
                                                     {{"orders", 3}, {target_offset{57}, "app"}}};
  auto plan = plan_commits({propose(0, 57, 60, 10), propose(1, 57, 60, 11), propose(2, 27, 30, 11),
                            propose(3, 27, 30, 11)},
                           current, "k2k_", true);
  REQUIRE(plan.writes.size() == 1);
  const auto& w = plan.writes.at({"orders", 0});
  CHECK(w.offset == target_offset{57});
  CHECK(parse_guard_metadata("k2k_", w.metadata) == guard_version{source_offset{60}, 0, 10});
  CHECK(plan.unchanged == 1);
  CHECK(plan.stale == 1);
  CHECK(plan.foreign == 1);
  REQUIRE(plan.notices.size() == 2);
  CHECK(plan.notices[0].what == commit_notice::kind::stale);
  CHECK(plan.notices[0].partition == target_partition{"orders", 2});
  CHECK(plan.notices[1].what == commit_notice::kind::foreign);
  CHECK(plan.notices[1].current.metadata == "app");
}

TEST_CASE("with the guard off an older offset is written, and said", "[core][commit-plan]") {
  std::map<target_partition, current_commit> current{{{"orders", 0}, ours(57, 60, 10)}};
  auto plan = plan_commits({propose(0, 27, 30, 11)}, current, "k2k_", false);
  REQUIRE(plan.writes.count({"orders", 0}));
  CHECK(plan.writes.at({"orders", 0}).offset == target_offset{27});
  REQUIRE(plan.notices.size() == 1);
  CHECK(plan.notices[0].what == commit_notice::kind::rewind);
  CHECK(plan.notices[0].current.offset == target_offset{57});
  CHECK(plan.notices[0].proposed == target_offset{27});
}
