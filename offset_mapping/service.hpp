// The offset-mapping service (`k2k offset-mapping`): spawns its actors into a caller-owned
// caf::actor_system, so a platform can embed it.
#pragma once

#include "config/config.hpp"
#include "offset_mapping/actors.hpp"
#include "offset_mapping/service_counters.hpp"

#include <caf/fwd.hpp>

#include <memory>

namespace k2k::offset_mapping {

// Message types of the service, for the actor system's config.
void add_message_types(caf::actor_system_config& cfg);

class offset_mapping_service {
public:
  offset_mapping_service(caf::actor_system& system, config::pipeline_config cfg);
  ~offset_mapping_service();
  offset_mapping_service(const offset_mapping_service&) = delete;
  offset_mapping_service& operator=(const offset_mapping_service&) = delete;

  // Stops ingesting (the mapping partitions go to other workers) and stops the actors.
  void stop();
  const std::shared_ptr<service_counters>& counters() const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace k2k::offset_mapping
