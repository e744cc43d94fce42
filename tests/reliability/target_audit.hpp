// Reads what is on the clusters, incrementally, and checks the replication invariants:
// every record the replicator counts as done is on target and equal to its source record,
// every mapping points at the copy of the record it names, and (exactly-once) no source
// record is on target twice beyond what the mock's ignored aborts explain. Also the ground truth of
// where a group must resume on target.
#pragma once

#include "core/ground_truth.hpp"
#include "core/mapping_record.hpp"
#include "kafka/handles.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace k2k::reliability {

struct audit_options {
  std::string source_bootstrap, target_bootstrap;
  std::string topic;
  int partitions = 0;
  std::string mapping_topic;
  int mapping_partitions = 0;
  bool exactly_once = false;
};

// The invariants the audit checks, as named in the runner's table.
namespace invariant {
constexpr const char* on_target = "every replicated source record is on target, unchanged";
constexpr const char* mappings = "every mapping points at the copy of its record";
constexpr const char* no_duplicates = "no source record twice on target (exactly-once)";
constexpr const char* monotonic = "no target commit ever moves backwards";
constexpr const char* ground_truth = "target commits equal the ground truth once quiet";
constexpr const char* services = "services stay up and stop cleanly";
} // namespace invariant

struct violation {
  std::string invariant; // one of the names above
  std::string what;
};

class target_audit {
public:
  explicit target_audit(audit_options options);

  // Reads everything new on both clusters and checks it; returns the violations found by
  // this call, each naming the partition and offsets. A read that fails (faults are being
  // injected) is retried by the next call.
  std::vector<violation> check();

  // The largest src_next any mapping of the partition published (the replicator's progress).
  int64_t replicated(int32_t partition) const;
  int64_t source_end(int32_t partition) const { return source_[partition].size(); }
  // Where a consumer that committed `s` on source must resume on target
  // (core::copy_log::resume_at, with the source's end); nullopt while replication is behind.
  std::optional<int64_t> ground_truth(int32_t partition, int64_t s) const;
  size_t target_records() const;
  size_t mappings_checked() const { return mappings_checked_; }

  // Exactly-once on librdkafka's mock: an aborted transaction stays readable (its EndTxn ignores
  // the abort), so a batch a replicator aborted, or left open when it was killed and whose
  // next owner resumed from the checkpoint, is on target twice even with read_committed.
  // Each such source range, taken from the replicators' logs, excuses one extra copy of
  // each offset in it; any other second copy is a violation.
  void uncommitted_range(int32_t partition, int64_t first, int64_t end);
  // Judges the second copies check() found (exactly-once) against the ranges known now. Call
  // it after reading the logs that follow check(): a replicator logs its resume point before
  // it re-copies, so every copy check() read has its excuse in the logs by then.
  std::vector<violation> judge_duplicates();
  size_t uncommitted_copies() const { return uncommitted_copies_; }

private:
  struct copy {
    int64_t source_offset = -1; // -1: not a k2k copy of this topic (a foreign record)
    std::string key, value;
  };
  bool read_new(rd_kafka_t* reader, const std::string& topic, int32_t partition, int64_t from,
                const std::function<void(const rd_kafka_message_t&)>& on_record, int64_t& next);

  audit_options o_;
  kafka::handle_ptr source_reader_, target_reader_;
  std::vector<std::vector<std::pair<std::string, std::string>>> source_; // [p][offset]
  std::vector<std::vector<copy>> target_;                                // [p][offset]
  std::vector<core::copy_log> copy_log_;                                 // [p] copies read
  std::vector<std::map<int64_t, int>> copies_;                           // [p] source -> count
  std::vector<int64_t> mapping_next_;                                    // per mapping partition
  std::vector<std::vector<core::mapping_record>> unchecked_;             // [p] awaiting target
  std::vector<int64_t> replicated_;                                      // [p]
  std::vector<int64_t> completeness_checked_;                            // [p]
  std::vector<std::vector<std::pair<int64_t, int64_t>>> uncommitted_;    // [p] [first, end)
  struct duplicate {
    int32_t partition;
    int64_t source;
    int copies;
    int64_t target; // offset of the latest copy
  };
  std::vector<duplicate> duplicates_; // found by check(), not judged yet
  size_t mappings_checked_ = 0;
  size_t uncommitted_copies_ = 0;
};

} // namespace k2k::reliability
