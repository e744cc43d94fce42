#pragma once

#include "offset_mapping/actors.hpp"

#include <map>
#include <set>

namespace k2k::offset_mapping {

struct mapping_registry_state {
  static inline const char* name = "mapping_registry";
  struct entry {
    std::string topic;
    int32_t partition = 0;
    int32_t mapping_partition = 0;
    partition_index_actor mapping;
  };
  std::map<std::string, entry> entries; // by mapping key "topic/partition"
  std::set<int32_t> ready;              // mapping partitions read up to their end at assignment
  uint64_t generation = 1;              // bumped by every change of what is owned
};

mapping_registry_actor::behavior_type
mapping_registry(mapping_registry_actor::stateful_pointer<mapping_registry_state> self);

} // namespace k2k::offset_mapping
