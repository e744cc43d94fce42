// k2k migrate: moves one stopped consumer group from source to target using only the
// replicator's tracing headers on target — no mapping topic, no offset-mapping service.
#pragma once

#include "config/config.hpp"
#include "core/error.hpp"
#include "core/migration_verdict.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace k2k::migration {

struct migration_options {
  std::string group;
  std::string target_group;        // empty: the same name as on source
  std::vector<std::string> topics; // source topics; empty: those of the pipeline the group
                                   // has commits for
  bool dry_run = false;
  bool confirm_stopped = false; // the operator vouches the group is stopped (clusters that
                                // cannot describe groups); checked over settle_interval
  bool force = false;           // overwrite an existing, idle target group
  bool wait = false;            // wait for replication to reach the committed offsets
  std::chrono::milliseconds settle_interval{10000};
  std::chrono::milliseconds wait_poll{1000};
  int64_t verify_records = -1; // -1: the pipeline's replicator.maxInFlightRecords
  std::chrono::milliseconds request_timeout{30000};
  std::function<bool()> stopping = [] { return false; }; // ends --wait early (signals)
};

using partition_status = core::migration_status;
using core::to_string;

struct partition_row {
  std::string topic; // source
  int32_t partition = 0;
  int64_t source_offset = -1; // committed on source
  std::string target_topic;
  int64_t target_offset = -1;
  std::string found; // how: exact, next, after-last, end-of-target
  partition_status status = partition_status::ready;
  std::string note;
  int64_t probes = 0; // reads issued on target
  int64_t records_read = 0;
};

struct migration_report {
  std::string group;
  std::string target_group;
  std::string stopped_check; // how the source group was found stopped
  std::vector<partition_row> rows;
  bool dry_run = false;
  bool committed = false;
  std::optional<std::string> refusal; // why nothing was committed
};

using progress_fn = std::function<void(const std::string&)>;

// An error_info for problems before any partition is looked at (group still active, target
// group exists without --force, unreachable cluster, ...); a report with `refusal` when some
// partitions cannot be migrated yet (nothing is committed then: all partitions or none).
result<migration_report> migrate(const config::pipeline_config& config,
                                 const migration_options& options, const progress_fn& progress);

} // namespace k2k::migration
