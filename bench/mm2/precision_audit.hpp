// What a consumer that resumes on target at a group's translated commit reads again or never
// reads, against where it must resume: the ground truth comes from the records themselves
// (the ids in their values, on both clusters, read committed) and core::copy_log's rule, so
// k2k and MirrorMaker 2 are judged the same way and neither by its own bookkeeping.
#pragma once

#include "core/ground_truth.hpp"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace k2k::bench::mm2 {

struct group_precision {
  std::string group;
  int partitions = 0;   // partitions of sbs.small the group committed on source
  int exact = 0;        // of them at the ground truth on target
  int untranslated = 0; // of them without a commit on target
  int64_t reread = 0;   // records a consumer resuming there reads a second time
  int64_t skipped = 0;  // records it never reads
};

// The copies themselves, over every topic of the workload.
struct copy_summary {
  uint64_t copies = 0;          // workload records on target
  uint64_t missing = 0;         // committed source records not on target
  uint64_t duplicates = 0;      // copies beyond the first of a record
  uint64_t aborted_visible = 0; // records of an aborted source transaction a consumer reads
};

class precision_audit {
public:
  // Reads every partition of the workload's topics on both clusters.
  precision_audit(const std::string& source, const std::string& target);

  const copy_summary& copies() const { return copies_; }
  // Reads each group's commits on both clusters now and judges them.
  std::vector<group_precision> judge(const std::vector<std::string>& groups) const;

private:
  struct partition_copies {
    core::copy_log log;
    std::vector<int64_t> targets; // every copy's target offset, ascending
    int64_t source_end = 0;
  };
  std::string source_, target_;
  std::map<int32_t, partition_copies> small_; // sbs.small, by partition
  copy_summary copies_;
};

} // namespace k2k::bench::mm2
