// What a migrated partition's resume search means for the group: ready at a target offset,
// behind (replication has not reached the commit), or untraced (no tracing headers on
// target). Pure: the source reads it may need are injected, as in resume_search.
#pragma once

#include "core/error.hpp"
#include "core/resume_search.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace k2k::core {

enum class migration_status {
  ready,     // position found (committed unless dry-run)
  no_commit, // the group has no commit here; left to the consumer's auto.offset.reset
  behind,    // replication has not reached the committed offset yet
  untraced,  // the target partition has no record carrying the tracing headers
};

const char* to_string(migration_status s);

struct migration_facts {
  int64_t committed = 0;                            // the group's source offset S
  resume_position found;                            // find_resume_position's answer for S
  std::optional<int64_t> first_source_at_committed; // first existing source offset >= S
  int64_t target_high = 0;                          // the target partition's high watermark
  bool offset_headers_seen = false;                 // a record read carried the offset header
  std::string offset_header = "k2k_offset";         // its name, for the note
  std::string target = "topic[p]";                  // the target partition, for the note
};

// The first existing source offset >= `from` (nullopt: none), and the first of the partition.
struct migration_reads {
  std::function<result<std::optional<int64_t>>(int64_t from)> first_source_from;
  std::function<result<std::optional<int64_t>>()> first_source_record;
};

struct migration_verdict {
  migration_status status = migration_status::ready;
  std::string found;          // exact, next, after-last, end-of-target (ready only)
  int64_t target_offset = -1; // ready only
  std::string note;
};

result<migration_verdict> judge_resume(const migration_facts& facts, const migration_reads& reads);

} // namespace k2k::core
