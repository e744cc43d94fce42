// The committer's decision for one group, before any log line or write: which translated
// offsets replace the current target commits (through the guard, core/guard.hpp), which are
// left, and what an operator should hear about.
#pragma once

#include "core/guard.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace k2k::core {

using target_partition = std::pair<std::string, int32_t>; // target topic, partition

struct proposed_commit {
  target_partition partition;
  target_offset offset;
  guard_version version;
};

struct planned_write {
  target_offset offset;
  std::string metadata; // the guard version, encoded
};

// Something the operator should see once: a skip or, with the guard off, a rewind.
struct commit_notice {
  enum class kind { rewind, stale, foreign } what;
  target_partition partition;
  current_commit current;
  target_offset proposed;
};

struct commit_plan {
  std::map<target_partition, planned_write> writes;
  int unchanged = 0, stale = 0, foreign = 0;
  std::vector<commit_notice> notices;
};

// `current`: the group's commits on target now (partitions without one are absent).
commit_plan plan_commits(const std::vector<proposed_commit>& proposed,
                         const std::map<target_partition, current_commit>& current,
                         std::string_view prefix, bool guard_enabled);

} // namespace k2k::core
