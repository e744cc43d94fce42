#pragma once

#include "actors/actors.hpp"
#include "actors/service_counters.hpp"

#include <chrono>
#include <memory>

namespace k2k::actors {

struct group_state {
  static inline const char* name = "group";
  bool cycle_running = false; // a tick never starts a cycle while one is in flight
};

group_actor::behavior_type group(group_actor::stateful_pointer<group_state> self,
                                 std::string group_id, std::chrono::milliseconds poll_interval,
                                 mapping_registry_actor registry, source_offsets_actor source,
                                 committer_actor committer,
                                 std::shared_ptr<service_counters> counters);

} // namespace k2k::actors
