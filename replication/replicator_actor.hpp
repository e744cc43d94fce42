// The replicator as an actor of a caller-owned actor system (the embedding API;
// include/k2k/k2k.hpp re-exports it): a replication worker on its own thread, and an actor
// that answers status and stop.
#pragma once

#include "config/config.hpp"
#include "offset_mapping/actors.hpp"

#include <caf/fwd.hpp>

namespace k2k::replication {

offset_mapping::replicator_actor spawn_replicator(caf::actor_system& system,
                                                  config::pipeline_config cfg);

} // namespace k2k::replication
