// Where a consumer must resume on target, judged from the copies themselves (the records'
// k2k_offset headers) and never from the mappings: the ground truth that the tests, the
// reliability suite and the demo hold translated and migrated commits against.
//
//   target   100 101 102 103 104 105      (copies of source 7 8 9, a foreign record, 10, 12)
//   source     7   8   9   -  10  12      (11 does not exist: a marker or a compacted hole)
//   resume_at(9) = 102          the copy of S
//   resume_at(11) = 105         right after the copy of 10 (12 is copied: 11 cannot come)
//   migrate_position(11) = 105  the first copy at or after that position
//   resume_at(13) = nullopt     13 is not copied yet, unless the source ends at 13
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace k2k::core {

class copy_log {
public:
  // A copy of `source` at `target`, in target order: a later copy of the same source offset
  // (an at-least-once re-replication) is the one a consumer resumes at.
  void add(int64_t source, int64_t target);

  std::optional<int64_t> newest_copy(int64_t source) const;
  // Right after the newest copy of the largest copied source offset below S (0: none).
  int64_t after_newest_below(int64_t s) const;
  // The first copy at or after target offset `t`, if any.
  std::optional<int64_t> first_copy_from(int64_t t) const;

  // The translation rule's answer for a committed S: the newest copy of S; else right after the
  // newest copy below S once nothing between them can still come (a copy above S exists, S is
  // right above it, or S is the source's end). nullopt while that cannot be known, or when
  // nothing below S is copied. `source_end`: the source partition's end, when known.
  std::optional<int64_t> resume_at(int64_t s, std::optional<int64_t> source_end = {}) const;
  // k2k migrate's answer (replication complete): the first copy at or after
  // after_newest_below(S); right there when no copy follows.
  int64_t migrate_position(int64_t s) const;

private:
  std::map<int64_t, int64_t> newest_; // source -> newest target offset
  std::vector<int64_t> targets_;      // every copy's target offset, ascending
};

} // namespace k2k::core
