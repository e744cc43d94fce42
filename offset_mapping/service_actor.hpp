// The offset-mapping service as an actor of a caller-owned actor system (the embedding API;
// include/k2k/k2k.hpp re-exports it).
#pragma once

#include "config/config.hpp"
#include "offset_mapping/actors.hpp"

#include <caf/fwd.hpp>

namespace k2k::offset_mapping {

// Runs the offset-mapping service's actors in `system`; this actor answers status and stop.
// Throws std::runtime_error when the service cannot start (e.g. unreachable target).
offset_mapping_actor spawn_offset_mapping(caf::actor_system& system, config::pipeline_config cfg);

} // namespace k2k::offset_mapping
