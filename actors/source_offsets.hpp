#pragma once

#include "actors/actors.hpp"
#include "kafka/handles.hpp"
#include "kafka/properties.hpp"

namespace k2k::actors {

struct source_offsets_state {
  static inline const char* name = "source_offsets";
  kafka::handle_ptr admin;
};

// Spawn detached: it blocks on the source cluster's admin API.
source_offsets_actor::behavior_type
source_offsets(source_offsets_actor::stateful_pointer<source_offsets_state> self,
               kafka::properties admin_props);

} // namespace k2k::actors
