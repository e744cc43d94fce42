// The work k2k and MirrorMaker 2 both replicate in the side-by-side benchmark (make bench-mm2),
// and how its records are recognised on either cluster without any tool's headers: each value
// starts with its own id.
//
//   sbs.small  12 partitions of 110,000 records of 100 B; near each partition's end a committed
//              transaction and an aborted one (100 records each), so source offsets have gaps;
//              records appended while a tool runs (append_records) for a group that follows
//              the head
//   sbs.large  12 partitions of 5,000 records of 1 KiB
//
// On target both topics exist before a run with prior records of their own (1,000 + 97 x p in
// partition p), so target offsets differ from source offsets everywhere.
#pragma once

#include "kafka/group_offsets_io.hpp"
#include "kafka/handles.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace k2k::bench::mm2 {

struct topic_spec {
  std::string name;
  char tag = 0; // the first byte of its records' values
  int partitions = 0;
  int64_t records = 0; // committed data records per partition
  size_t value_bytes = 0;
  bool transactions = false;
};

const std::vector<topic_spec>& topics();
const topic_spec& small_topic(); // the one the groups consume
// Every partition of sbs.small, as group offset calls name them.
std::vector<kafka::topic_partition> small_partitions();

inline constexpr char aborted_tag = 'a'; // values of aborted transactional records
inline constexpr int transaction_records = 100;

// A group committed on sbs.small before a run, `lag` records below each partition's end
// (-1: at the log start).
struct lag_group {
  std::string name;
  int64_t lag = 0;
};
const std::vector<lag_group>& lag_groups();

// "<tag>|<partition>|<seq>|" padded to `bytes` with '.'.
std::string record_value(char tag, int32_t partition, int64_t seq, size_t bytes);

struct record_id {
  char tag = 0;
  int32_t partition = 0;
  int64_t seq = 0;
};
// nullopt for a value that is not one of the workload's (the target's prior records).
std::optional<record_id> parse_value(std::string_view value);

int64_t prior_records(int32_t partition);

// Creates the topics on source, produces every record (the transactions through a
// transactional producer) and commits lag_groups(). Throws on any failure.
void prepare_source(const std::string& bootstrap);
// Creates the topics on target and produces their prior records. Throws on any failure.
void prepare_target(const std::string& bootstrap);

// Every partition of sbs.small on source at position(that partition's end offset), clamped
// to [0, end]. Throws when an end cannot be read.
std::map<kafka::topic_partition, kafka::committed_offset>
positions(const std::string& bootstrap, const std::function<int64_t(int64_t end)>& position);

// Commits `group` at positions(bootstrap, position) on source. Throws on failure.
void commit_group(const std::string& bootstrap, const std::string& group,
                  const std::function<int64_t(int64_t end)>& position);

// The delivery callback of the bench's producers: it counts the records not delivered, which
// flush_all throws on after waiting (120 s at most) for every queued record.
void count_failed_deliveries(rd_kafka_t*, const rd_kafka_message_t* m, void*);
void flush_all(rd_kafka_t* producer);

// Calls on_record(offset, value) for every record of topic[partition] up to the end it has
// now; returns that end. Throws when it cannot be read within 120 s.
int64_t read_to_end(rd_kafka_t* reader, const std::string& topic, int32_t partition,
                    const std::function<void(int64_t offset, std::string_view value)>& on_record);

// The records a consumer reads on source now (every topic, committed only): what a complete
// replication puts on target. Throws when a partition cannot be read.
uint64_t source_records(const std::string& bootstrap);

// Live traffic: `per_partition` more records at the end of each partition of sbs.small, their
// seqs from the partition's end offset on (above every seq before them). Returns each
// partition's end offset once they are all written. Throws on failure.
std::vector<int64_t> append_records(const std::string& bootstrap, int64_t per_partition);

} // namespace k2k::bench::mm2
