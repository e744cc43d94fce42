// How copies become confirmed progress: the one seam between at-least-once and exactly-once.
//
//   at_least_once: one shared producer; delivery reports confirm records, the gap-free
//                  confirmed prefix is published as a mapping, whose report confirms the
//                  checkpoint; a failure rewinds the partition.
//   exactly_once:  a transactional producer per partition; a batch's records and its mapping
//                  are committed in one transaction, or aborted and replayed.
#pragma once

#include "config/config.hpp"
#include "core/deadline.hpp"
#include "core/error.hpp"
#include "kafka/client.hpp"
#include "replication/counters.hpp"
#include "replication/mapping_publisher.hpp"
#include "replication/partition_state.hpp"
#include "replication/source_consumer.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace k2k::replication {

using core::ms_left;

enum class stop_request : uint8_t {
  none,
  graceful, // confirm what is in flight, commit, then return
  crash,    // drop everything in flight unconfirmed (tests of restart semantics)
};

// What both modes work with; owned by the worker, which outlives them.
struct delivery_context {
  const config::pipeline_config& cfg;
  partition_table& partitions;
  replication_counters& counters;
  source_consumer& source;
  mapping_publisher& mappings;
  rd_kafka_t* producer; // the worker's shared producer
  const std::atomic<stop_request>& stop;
  const std::optional<error_info>& fatal; // the worker's: once set, no more commits
  std::function<void()> refresh_status;   // called from inside long waits
  // For the producers a mode makes itself: reports go to the worker's callback.
  kafka::delivery_callback on_delivery;
  void* delivery_opaque;
};

class delivery {
public:
  virtual ~delivery() = default;

  // The producer that writes this partition's copies.
  virtual rd_kafka_t* producer_for(partition_state& s) = 0;
  // At assignment, before the partitions' checkpoints are read.
  virtual std::optional<error_info> open(const std::vector<partition_state*>& states) = 0;
  // Before a source record of `s` at `offset` is copied.
  virtual std::optional<error_info> before_copy(partition_state& s, int64_t offset) = 0;
  // A copy is stored on target (its report).
  virtual void record_confirmed(partition_state& s, size_t bytes) = 0;
  // A mapping record is stored on target (its report).
  virtual void mapping_confirmed(partition_state& s, int64_t source_next) = 0;
  // Once per loop cycle: confirmed copies become checkpoints; failed ones are replayed.
  virtual std::optional<error_info> settle() = 0;
  // The source is held for backpressure: wait a little for confirmations.
  virtual void wait_for_room() = 0;
  // Work is under way that a coming settle() finishes (commits made in the background):
  // the loop must not block long on the source.
  virtual bool busy() const = 0;
  // Before partitions are released or the worker stops: nothing of them left in flight, or
  // the deadline passed (what is left is copied again by the next owner).
  virtual std::optional<error_info> drain(const std::vector<partition_state*>& states,
                                          std::chrono::steady_clock::time_point deadline) = 0;
  // The partition is no longer this worker's.
  virtual void close(partition_state& s) = 0;
  // A crash-like stop: this mode's own producers go, open transactions stay open until the
  // next owner's init_transactions aborts them. (The worker purges the shared producer.)
  virtual void abandon() = 0;
};

std::unique_ptr<delivery> make_at_least_once(delivery_context ctx);
std::unique_ptr<delivery> make_exactly_once(delivery_context ctx);

} // namespace k2k::replication
