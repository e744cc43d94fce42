// The replicator's source consumer and what the loop asks of it: where a partition stands,
// rewinding one (with a backoff when it keeps failing), pausing for backpressure, and the
// commits of its own group.
#pragma once

#include "core/backpressure.hpp"
#include "kafka/handles.hpp"
#include "replication/counters.hpp"
#include "replication/partition_state.hpp"

#include <string>
#include <vector>

namespace k2k::replication {

class source_consumer {
public:
  // max_in_flight: records taken and not yet confirmed before the source is held.
  source_consumer(rd_kafka_t* consumer, replication_counters& counters, uint64_t max_in_flight)
      : consumer_(consumer), counters_(counters), backpressure_(max_in_flight) {}

  rd_kafka_t* handle() const { return consumer_; }

  // The consumer's position in the partition (-1: unknown).
  int64_t position(const partition_state& s) const;
  // The high watermark the consumer last saw minus next_offset (-1: unknown).
  int64_t lag(const partition_state& s) const;

  // A record at `offset` arrived while the partition expected s.next_offset. Gaps are
  // normal (transaction markers, aborted records, compaction), but a log start above
  // next_offset means the source deleted records before they were copied (retention): the
  // consumer moved on to the log start; counted and logged, never silent.
  void note_gap(const partition_state& s, int64_t offset);

  // Sends the partition back to `offset`; a partition that keeps failing is paused for
  // core::rewind_backoff. False when the seek itself failed (tried again next cycle).
  bool rewind(partition_state& s, int64_t offset);
  // Resumes partitions whose rewind backoff is over.
  void resume_backed_off(const std::vector<partition_state*>& states);

  // True: take nothing from the source in this cycle, `in_flight` records being unconfirmed
  // (core/backpressure.hpp); pauses and resumes the partitions when the rule says so.
  bool hold_for_backpressure(uint64_t in_flight);

  // (Re)subscribes to `topics` (none: unsubscribes). An error names the problem.
  std::optional<std::string> subscribe(const std::vector<std::string>& topics);

  // The replicator's own source group follows the confirmed checkpoints: the resume point
  // when mappings are off, and a lag signal for operators either way.
  void commit_checkpoints(const std::vector<partition_state*>& states, bool async);

private:
  // Pauses or resumes every assigned partition. False if it could not.
  bool pause_all(bool pause);

  rd_kafka_t* consumer_;
  replication_counters& counters_;
  core::backpressure backpressure_;
  bool paused_for_backpressure_ = false;
};

} // namespace k2k::replication
