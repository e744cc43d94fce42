// The replicator's source consumer and what the loop asks of it: where a partition stands,
// rewinding one (with a backoff when it keeps failing), pausing for backpressure, and the
// commits of its own group.
#pragma once

#include "kafka/handles.hpp"
#include "replication/counters.hpp"
#include "replication/partition_state.hpp"

#include <string>
#include <vector>

namespace k2k::replication {

class source_consumer {
public:
  source_consumer(rd_kafka_t* consumer, replication_counters& counters)
      : consumer_(consumer), counters_(counters) {}

  rd_kafka_t* handle() const { return consumer_; }

  // The consumer's position in the partition (-1: unknown).
  int64_t position(const partition_state& s) const;
  // The high watermark the consumer last saw minus next_offset (-1: unknown).
  int64_t lag(const partition_state& s) const;

  // Sends the partition back to `offset`; a partition that keeps failing is paused for
  // core::rewind_backoff. False when the seek itself failed (tried again next cycle).
  bool rewind(partition_state& s, int64_t offset);
  // Resumes partitions whose rewind backoff is over.
  void resume_backed_off(const std::vector<partition_state*>& states);

  // Pauses or resumes every assigned partition (backpressure). False if it could not.
  bool pause_all(bool pause);

  // (Re)subscribes to `topics` (none: unsubscribes). An error names the problem.
  std::optional<std::string> subscribe(const std::vector<std::string>& topics);

  // The replicator's own source group follows the confirmed checkpoints: the resume point
  // when mappings are off, and a lag signal for operators either way.
  void commit_checkpoints(const std::vector<partition_state*>& states, bool async);

private:
  rd_kafka_t* consumer_;
  replication_counters& counters_;
};

} // namespace k2k::replication
