// One assigned source partition's replication state, and the table of them all.
#pragma once

#include "config/config.hpp"
#include "core/partition_progress.hpp"
#include "kafka/handles.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace k2k::replication {

struct partition_state {
  std::string topic;
  int32_t partition = 0;
  std::string target_topic;
  std::string mapping_key;
  int32_t mapping_partition = 0;

  core::partition_progress progress;
  int64_t outstanding = 0;                // data records awaiting a delivery report
  int64_t mappings_outstanding = 0;       // mapping records awaiting a delivery report
  std::optional<int64_t> mapping_failure; // first source offset of a lost mapping
  int64_t next_offset = -1;
  int64_t checkpoint = -1;
  bool assigned = false;
  uint64_t generation = 0;  // bumped on every reset, so late reports are ignored
  int rewinds_in_a_row = 0; // since the last confirmed progress; drives the retry backoff
  std::optional<std::chrono::steady_clock::time_point> paused_until;

  // Exactly-once: this partition's transactional producer and its open batch.
  kafka::handle_ptr txn_producer;
  bool in_transaction = false;
  int64_t batch_first = -1;
  std::chrono::steady_clock::time_point batch_opened;
  uint64_t batch_records = 0, batch_bytes = 0;
  // The open batch takes no more copies (its reports are awaited, its commit is under way):
  // the source records that arrive meanwhile wait in `deferred`, in order.
  bool sealed = false;
  std::vector<kafka::message_ptr> deferred;

  // The earliest source offset that must be replicated again (a lost record or mapping).
  std::optional<int64_t> failure() const;
  bool settled() const { return outstanding == 0 && mappings_outstanding == 0; }
  // Forgets what is in flight and what is deferred (after a rewind, a revoke, an abort).
  void reset();
  // The open batch is committed: as reset(), but the records deferred meanwhile stay, to
  // start the next batch.
  void start_next_batch();
  // Confirmed progress up to `source_next`: the checkpoint moves, the retry backoff restarts.
  void confirm(int64_t source_next);
  void lose_mapping(int64_t first_source_offset);
};

// Travels with each produced record (as librdkafka's opaque) to its delivery report.
struct delivery_tag {
  partition_state* state;
  uint64_t generation;
  bool mapping;
  int64_t source_offset; // data: the record's; mapping: the first source offset covered
  int64_t source_next;   // mapping only
  size_t bytes;
};

// Every source partition this worker has seen, by (topic, partition). States live as long as
// the worker, so delivery tags may point at them.
class partition_table {
public:
  explicit partition_table(const config::pipeline_config& cfg) : cfg_(cfg) {}

  partition_state& state_of(const std::string& topic, int32_t partition);
  partition_state* find(const char* topic, int32_t partition);
  std::vector<partition_state*> assigned();
  std::vector<partition_state*> all();
  // Records taken from the source and not yet confirmed on target: sent and awaiting their
  // delivery and mapping, or (exactly-once) waiting for their partition's commit.
  uint64_t in_flight() const;
  void clear() { states_.clear(); }
  // The mapping topic's partition count, once known (keys are placed by it).
  void set_mapping_partitions(int32_t count) { mapping_partitions_ = count; }
  int32_t mapping_partitions() const { return mapping_partitions_; }

private:
  const config::pipeline_config& cfg_;
  std::map<std::pair<std::string, int32_t>, std::unique_ptr<partition_state>> states_;
  int32_t mapping_partitions_ = 0;
};

} // namespace k2k::replication
