// How fast a tool replicates the workload and what it costs, seen from outside the tool: the
// records on target (the topics' ends less their prior records) and the CPU time and memory
// of the tool's processes (with their children, started by any of their threads: k2k's
// group-offsets helpers), sampled every 100 ms from the tool's start until every record is
// on target.
#pragma once

#include <chrono>
#include <string>
#include <sys/types.h>
#include <vector>

namespace k2k::bench::mm2 {

struct replication_sample {
  double seconds = 0; // since the watch started
  uint64_t records = 0;
  uint64_t value_bytes = 0;            // of those records: their values' sizes
  std::vector<uint64_t> topic_records; // per topic, in workload::topics()' order
  double cpu_seconds = 0;
};

// A topic's own steady rate: between 10 % and 90 % of the records it ended with.
struct topic_rate {
  std::string topic;
  size_t value_bytes = 0;
  double steady_records_per_s = 0;
};

struct replication_result {
  bool complete = false;
  double seconds = 0; // until every record was on target
  uint64_t records = 0;
  // Between 10 % and 90 % of the records: the steady rate, start-up and tail left out.
  double steady_records_per_s = 0;
  double steady_mb_per_s = 0; // values' bytes (MB: 10^6)
  double steady_cpu_seconds = 0;
  std::vector<topic_rate> topics; // the 100 B and the 1 KiB topic, copied side by side
  double cpu_seconds = 0;         // from the tools' start until complete
  uint64_t peak_rss_kib = 0;      // the processes' peaks (VmHWM), summed
  std::vector<replication_sample> samples;
};

// Until `expected` records (workload::source_records, counted before the tools started) are on
// target, or the timeout.
replication_result watch_replication(const std::string& target, uint64_t expected,
                                     const std::vector<pid_t>& pids, std::chrono::seconds timeout);

} // namespace k2k::bench::mm2
