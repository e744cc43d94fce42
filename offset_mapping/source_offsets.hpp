#pragma once

#include "config/config.hpp"
#include "kafka/group_offsets_io.hpp"
#include "offset_mapping/actors.hpp"

namespace k2k::offset_mapping {

struct source_offsets_state {
  static inline const char* name = "source_offsets";
  std::unique_ptr<kafka::group_offsets_io> groups; // groups.offsetClients
};

// Spawn detached: it blocks on the source cluster. Throws when its offset clients cannot be
// made (the service checks that before spawning it).
source_offsets_actor::behavior_type
source_offsets(source_offsets_actor::stateful_pointer<source_offsets_state> self,
               config::pipeline_config cfg);

} // namespace k2k::offset_mapping
