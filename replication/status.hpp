// What a replication worker reports: the one status type of the replicator, read by the CLI's
// metrics and health, the tests and (as k2k::replicator_status) the embedding API.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace k2k::replication {

struct partition_status {
  std::string topic;
  int32_t partition = 0;
  int64_t next_offset = -1; // next source offset to replicate
  int64_t checkpoint = -1;  // source offset up to which mappings are confirmed
  int64_t lag = -1;         // high watermark - next_offset, when known
};

enum class phase : uint8_t { starting, running, stopping, stopped, failed };

const char* to_string(phase p);
// Embedders compared and printed the state as a string before it was an enum
// (`s.state == "running"`, `std::cout << s.state`): both keep working.
bool operator==(phase p, std::string_view name);
bool operator!=(phase p, std::string_view name);
std::ostream& operator<<(std::ostream& out, phase p);

struct replication_status {
  using phase = replication::phase;
  phase state = phase::starting;
  uint64_t records = 0;  // confirmed on target
  uint64_t bytes = 0;    // key + value bytes confirmed on target
  uint64_t mappings = 0; // mapping records confirmed
  uint64_t delivery_errors = 0;
  uint64_t rewinds = 0;              // partitions sent back to their last confirmed offset
  uint64_t aborted_transactions = 0; // exactly-once batches aborted and replayed
  // Source records deleted (retention, DeleteRecords) before they were replicated: never
  // copied, and a group committed among them resumes at the next copied record.
  uint64_t records_deleted_on_source = 0;
  uint64_t in_flight = 0;
  std::vector<partition_status> partitions;
  std::string error;
};

} // namespace k2k::replication
