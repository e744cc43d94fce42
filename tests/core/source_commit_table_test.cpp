// source_commit_table: the latest commit per group and partition from __consumer_offsets
// records, and the changes since last asked.
#include "core/source_commit_table.hpp"

#include <catch2/catch.hpp>

using namespace k2k::core;

namespace {

consumer_offsets_record commit(const std::string& group, int32_t partition, int64_t offset) {
  return {consumer_offsets_record::kind::offset_commit,
          {group, "orders", partition},
          group_offset_value{offset, "", 0}};
}

consumer_offsets_record deleted(const std::string& group, int32_t partition) {
  return {consumer_offsets_record::kind::offset_deleted, {group, "orders", partition}, {}};
}

} // namespace

TEST_CASE("the table keeps each group's latest commit and reports what changed",
          "[core][consumer-offsets]") {
  source_commit_table table;
  table.apply(commit("app", 0, 10));
  table.apply(commit("app", 0, 12));
  table.apply(commit("app", 1, 5));
  table.apply(commit("billing", 0, 7));
  table.apply({}); // another record kind: nothing
  auto changes = table.take_changes();
  REQUIRE(changes.size() == 2);
  CHECK(changes[0].group == "app");
  CHECK(changes[0].offsets ==
        std::map<source_commit_table::partition, int64_t>{{{"orders", 0}, 12}, {{"orders", 1}, 5}});
  CHECK_FALSE(changes[0].removed);
  CHECK(changes[1].group == "billing");
  CHECK(table.group_count() == 2);
  CHECK(table.offset_count() == 3);

  table.apply(commit("app", 0, 12)); // the same offset again (a periodic re-commit)
  CHECK(table.take_changes().empty());
}

TEST_CASE("tombstones delete offsets, and a group without offsets is removed",
          "[core][consumer-offsets]") {
  source_commit_table table;
  table.apply(commit("app", 0, 10));
  table.apply(commit("app", 1, 11));
  table.take_changes();

  table.apply(deleted("app", 0));
  auto changes = table.take_changes();
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].offsets.at({"orders", 0}) == -1);
  CHECK_FALSE(changes[0].removed);

  table.apply(deleted("app", 1));
  table.apply(deleted("app", 1));   // a second tombstone: nothing more
  table.apply(deleted("ghost", 3)); // never seen: nothing
  changes = table.take_changes();
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].removed);
  CHECK(table.group_count() == 0);
  CHECK(table.offset_count() == 0);

  table.apply(commit("app", 0, 20)); // the group comes back
  changes = table.take_changes();
  REQUIRE(changes.size() == 1);
  CHECK_FALSE(changes[0].removed);
}
