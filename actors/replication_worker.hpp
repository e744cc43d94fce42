// The replicator's Kafka I/O loop: consume source, produce to target partition p
// with tracing headers, confirm deliveries, publish offset mappings, resume from
// the mapping topic (the checkpoint). Runs on its own thread, never on the actor
// scheduler; the replicator actor owns it and reads its status.
#pragma once

#include "config/config.hpp"
#include "core/error.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace k2k::replication {

struct partition_status {
  std::string topic;
  int32_t partition = 0;
  int64_t next_offset = -1; // next source offset to replicate
  int64_t checkpoint = -1;  // source offset up to which mappings are confirmed
  int64_t lag = -1;         // high watermark - next_offset, when known
};

struct replication_status {
  enum class phase { starting, running, stopping, stopped, failed } state = phase::starting;
  uint64_t records = 0;  // confirmed on target
  uint64_t bytes = 0;    // key + value bytes confirmed on target
  uint64_t mappings = 0; // mapping records confirmed
  uint64_t delivery_errors = 0;
  uint64_t rewinds = 0;              // partitions sent back to their last confirmed offset
  uint64_t aborted_transactions = 0; // exactly-once batches aborted and replayed
  uint64_t in_flight = 0;
  std::vector<partition_status> partitions;
  std::string error;
};

const char* to_string(replication_status::phase p);

class replication_worker {
public:
  explicit replication_worker(config::pipeline_config cfg);
  ~replication_worker();
  replication_worker(const replication_worker&) = delete;
  replication_worker& operator=(const replication_worker&) = delete;

  // Runs on the calling thread until stop()/abort() or a fatal error (returned).
  std::optional<error_info> run();

  // Graceful: stop consuming, confirm in-flight records and mappings, commit, return.
  void stop();
  // Crash-like (for tests of restart semantics): drop everything in flight unconfirmed.
  void abort();

  // Thread-safe snapshot, refreshed by the loop a few times a second.
  replication_status status() const;
  // Blocks until a snapshot satisfies `condition` (true) or the timeout passes (false).
  bool wait_for_status(const std::function<bool(const replication_status&)>& condition,
                       std::chrono::milliseconds timeout) const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace k2k::replication
