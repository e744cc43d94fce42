// Where a migrated consumer group resumes on target: the first replicated record whose source
// offset (tracing header) is >= the group's committed source offset S. Found by probing a few
// windows of the target partition, never by scanning it. Pure: the caller supplies the reads.
#pragma once

#include "core/error.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace k2k::core {

// A target record replicated from the wanted source partition.
struct traced_record {
  int64_t target = 0; // its offset on target
  int64_t source = 0; // its source offset, from the tracing header
};

// What one read of the target partition returned, in offset order.
struct probe_window {
  std::vector<traced_record> traced;
  int64_t records_read = 0; // traced or not
  int64_t untraced = 0;     // records without the offset header (foreign writers, headers off)
  int64_t end = 0;          // first target offset after what was read
};

// Reads target records [from, from + max_records), stopping at the partition's end.
using probe_fn = std::function<result<probe_window>(int64_t from, int64_t max_records)>;

struct resume_search_options {
  int64_t window = 64; // records per probe
  // Records read after the found position to catch a later re-replication of offsets < S
  // (an at-least-once restart). The replicator never re-sends more than its in-flight limit,
  // so that limit makes the answer exact.
  int64_t verify = 1000;
  // Records read back from the end to find the last replicated one before giving up.
  int64_t tail_limit = 100000;
  // A likely position (offsets-for-times on the source timestamp) to probe first.
  std::optional<int64_t> hint;
};

enum class resume_how {
  exact,      // the record replicated from S itself
  next,       // S is not on target; the first record replicated from above S
  after_last, // everything replicated is < S: right after the last replicated record
  untraced,   // no record of this source partition on target (within tail_limit)
};

const char* to_string(resume_how how);

struct resume_position {
  resume_how how = resume_how::untraced;
  int64_t target_offset = -1; // where the group resumes; -1 for untraced
  int64_t source_offset = -1; // source offset of the record at target_offset (exact, next) or
                              // of the last replicated record (after_last)
  int64_t probes = 0;         // reads issued
  int64_t records_read = 0;
  int64_t untraced_seen = 0;
};

// `low`/`high`: the target partition's watermarks. Errors of `probe` are passed on.
result<resume_position> find_resume_position(int64_t committed_source, int64_t low, int64_t high,
                                             const probe_fn& probe,
                                             const resume_search_options& options = {});

} // namespace k2k::core
