// The replicator and the offset-mapping service as actors of a caller-owned actor system
// (the embedding API; include/k2k/k2k.hpp re-exports these).
#pragma once

#include "actors/actors.hpp"
#include "config/config.hpp"

#include <caf/fwd.hpp>

namespace k2k::actors {

// Runs a replication worker on its own thread; the actor answers status and stop.
replicator_actor spawn_replicator(caf::actor_system& system, config::pipeline_config cfg);

// Runs the offset-mapping service's actors in `system`; this actor answers status and stop.
// Throws std::runtime_error when the service cannot start (e.g. unreachable target).
offset_mapping_actor spawn_offset_mapping(caf::actor_system& system, config::pipeline_config cfg);

} // namespace k2k::actors
