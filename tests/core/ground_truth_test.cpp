// copy_log: the ground truth, from the copies alone.
#include "core/ground_truth.hpp"

#include <catch2/catch.hpp>

using namespace k2k::core;

namespace {
//   target   100 101 102 103 104 105
//   source     7   8   9   -  10  12      (103: a foreign record; 11 does not exist)
copy_log the_diagram() {
  copy_log log;
  for (auto [s, t] : {std::pair{7, 100}, {8, 101}, {9, 102}, {10, 104}, {12, 105}})
    log.add(s, t);
  return log;
}
} // namespace

TEST_CASE("a committed offset resumes at its copy, or right after the copy below it",
          "[core][ground-truth]") {
  auto log = the_diagram();
  CHECK(log.resume_at(9) == 102);
  CHECK(log.resume_at(11) == 105); // 12 is copied, so 11 cannot come
  CHECK(log.resume_at(13) == 106); // right above the last copy
  CHECK_FALSE(log.resume_at(14));  // 13 may still come
  CHECK_FALSE(log.resume_at(5));   // nothing below 5 is copied
}

TEST_CASE("with the source's end known, an offset not copied yet is not guessed",
          "[core][ground-truth]") {
  auto log = the_diagram();
  CHECK_FALSE(log.resume_at(13, 20));  // 13 exists on source and is not copied yet
  CHECK(log.resume_at(13, 13) == 106); // the source ends at 13: caught up
  CHECK_FALSE(log.resume_at(14, 14));  // 13 not copied: lag or a marker, cannot tell
  CHECK(log.resume_at(11, 20) == 105); // a copy above settles it either way
}

TEST_CASE("an at-least-once replay: the newest copy counts", "[core][ground-truth]") {
  //  target  0..4 = source 0..4, then a replay from 2: 5..9 = source 2..6
  copy_log log;
  for (int64_t s = 0; s < 5; ++s)
    log.add(s, s);
  for (int64_t s = 2; s < 7; ++s)
    log.add(s, s + 3);
  CHECK(log.newest_copy(3) == 6);
  CHECK(log.resume_at(3) == 6);
  CHECK(log.after_newest_below(3) == 6); // right after the newest copy of 2 (at 5)
  CHECK(log.migrate_position(3) == 6);
  CHECK(log.migrate_position(7) == 10); // after the last copy
}

TEST_CASE("migration resumes at the first copy after the newest one below S",
          "[core][ground-truth]") {
  auto log = the_diagram();
  CHECK(log.migrate_position(10) == 104); // skips the foreign record at 103
  CHECK(log.resume_at(10) == 104);
  CHECK(log.migrate_position(11) == 105);
  CHECK(log.migrate_position(0) == 100); // nothing below: the first copy
  CHECK(log.first_copy_from(103) == 104);
  CHECK_FALSE(log.first_copy_from(106));
  copy_log none;
  CHECK(none.migrate_position(5) == 0);
}
