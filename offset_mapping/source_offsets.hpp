#pragma once

#include "kafka/group_client.hpp"
#include "kafka/properties.hpp"
#include "offset_mapping/actors.hpp"

namespace k2k::offset_mapping {

struct source_offsets_state {
  static inline const char* name = "source_offsets";
  std::unique_ptr<kafka::group_client_pool> groups; // not the admin API: kafka/group_client.hpp
};

// Spawn detached: it blocks on the source cluster.
source_offsets_actor::behavior_type
source_offsets(source_offsets_actor::stateful_pointer<source_offsets_state> self,
               kafka::properties consumer_props);

} // namespace k2k::offset_mapping
