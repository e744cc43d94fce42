// OffsetIndex: one source partition's source -> target offset mapping, as runs of
// contiguous offsets. Append is O(1) amortised, lookup O(log runs), memory O(runs):
// 10^8 contiguous offsets replicated in order are one 32-byte run.
#pragma once

#include "core/offsets.hpp"

#include <cstddef>
#include <optional>
#include <vector>

namespace k2k::core {

// count source offsets from source_start map to target_start.. one for one.
struct mapping_run {
  source_offset source_start;
  target_offset target_start;
  int64_t count = 0;
  int64_t updated_ms = 0; // when this run last received mappings (for age-based truncation)

  source_offset source_end() const { return source_start + count; }
  target_offset target_end() const { return target_start + count; }
  target_offset target_of(source_offset s) const { return target_start + (s - source_start); }
};

struct mapped_pair {
  source_offset source;
  target_offset target;
};

class offset_index {
public:
  offset_index() = default;
  offset_index(const offset_index&) = delete;
  offset_index& operator=(const offset_index&) = delete;
  offset_index(offset_index&&) = default;
  offset_index& operator=(offset_index&&) = default;

  // Adds a run; where it overlaps earlier mappings (re-replication) the newest wins.
  void apply(const mapping_run& run);

  // The replicator has consumed the source up to `next` (exclusive); the largest seen
  // is kept, so offsets below it that have no mapping are gaps, not lag.
  void observe_source_next(source_offset next);

  std::optional<target_offset> target_of(source_offset s) const;
  // The largest mapped source offset <= s.
  std::optional<mapped_pair> floor(source_offset s) const;
  std::optional<mapped_pair> first() const;
  source_offset covered() const { return covered_; }

  // Prefix truncation for retention: forget mappings of source offsets < s ...
  void truncate_before(source_offset s);
  // ... keep at most max_runs runs (the newest offsets) ...
  void truncate_to_runs(size_t max_runs);
  // ... or drop leading runs last updated before cutoff_ms.
  void truncate_older_than(int64_t cutoff_ms);

  size_t run_count() const { return runs_.size(); }
  size_t memory_bytes() const { return sizeof(*this) + runs_.capacity() * sizeof(mapping_run); }
  const std::vector<mapping_run>& runs() const { return runs_; }

private:
  // Index of the run containing s or the last run starting before s; npos if none.
  size_t run_at_or_before(source_offset s) const;
  void merge_around(size_t i);

  std::vector<mapping_run> runs_; // sorted by source_start, non-overlapping
  source_offset covered_{0};
};

} // namespace k2k::core
