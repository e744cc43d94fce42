// The replication worker's librdkafka clients, made with k2k's defaults where the user set
// none, and destroyed within a bound (kafka::destroy_within: a stop never waits on a client).
#pragma once

#include "config/config.hpp"
#include "core/error.hpp"
#include "kafka/client.hpp"

#include <optional>

namespace k2k::replication {

struct worker_clients {
  kafka::handle_ptr consumer; // source, the pipeline's group
  kafka::handle_ptr producer; // target: data (at-least-once) and nothing else in exactly-once
  kafka::handle_ptr source_admin;
  kafka::handle_ptr target_admin;

  // Throws std::runtime_error (librdkafka's reason) when a client cannot be made.
  static worker_clients make(const config::pipeline_config& cfg,
                             kafka::rebalance_listener* listener,
                             kafka::delivery_callback on_delivery, void* opaque);
  // The shared producer's fatal error (librdkafka's reason), once it has one.
  std::optional<error_info> producer_failure() const;

  worker_clients() = default;
  worker_clients(worker_clients&&) = default;
  worker_clients& operator=(worker_clients&&) = default;
  ~worker_clients();
};

} // namespace k2k::replication
