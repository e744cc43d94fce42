// The replicator's Kafka I/O loop: consume source, copy to target partition p with tracing
// headers, confirm deliveries, publish offset mappings, resume from the mapping topic (the
// checkpoint). Runs on its own thread, never on the actor scheduler; the replicator actor
// (replication/replicator_actor.hpp) owns one and reads its status.
#pragma once

#include "config/config.hpp"
#include "core/error.hpp"
#include "replication/status.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace k2k::replication {

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
