#pragma once

#include "config/config.hpp"
#include "kafka/group_offsets_io.hpp"
#include "offset_mapping/actors.hpp"

namespace k2k::offset_mapping {

struct source_offsets_state {
  static inline const char* name = "source_offsets";
  std::unique_ptr<kafka::group_offsets_io> groups; // groups.offsetClients
};

// Spawn detached: it blocks on the source cluster. `helper`: the group-offsets helper's path
// (make_offset_clients).
source_offsets_actor::behavior_type
source_offsets(source_offsets_actor::stateful_pointer<source_offsets_state> self,
               config::pipeline_config cfg, std::string helper);

} // namespace k2k::offset_mapping
