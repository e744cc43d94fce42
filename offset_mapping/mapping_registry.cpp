#include "offset_mapping/mapping_registry.hpp"

#include "core/mapping_record.hpp"

#include <caf/all.hpp>

namespace k2k::offset_mapping {

mapping_registry_actor::behavior_type
mapping_registry(mapping_registry_actor::stateful_pointer<mapping_registry_state> self) {
  return {
      [=](register_atom, const std::string& topic, int32_t partition, int32_t mapping_partition,
          partition_index_actor mapping) {
        self->state.entries[core::mapping_key(topic, partition)] = {topic, partition,
                                                                    mapping_partition, mapping};
        ++self->state.generation;
      },
      [=](ready_atom, int32_t mapping_partition) {
        self->state.ready.insert(mapping_partition);
        ++self->state.generation;
      },
      [=](revoke_atom, int32_t mapping_partition) {
        // Another worker owns these source partitions now: drop their indexes.
        auto& st = self->state;
        st.ready.erase(mapping_partition);
        ++st.generation;
        for (auto it = st.entries.begin(); it != st.entries.end();) {
          if (it->second.mapping_partition == mapping_partition) {
            self->send_exit(it->second.mapping, caf::exit_reason::user_shutdown);
            it = st.entries.erase(it);
          } else {
            ++it;
          }
        }
      },
      [=](owned_atom, uint64_t known) -> caf::result<uint64_t, std::vector<owned_partition>> {
        const auto& st = self->state;
        std::vector<owned_partition> out;
        if (known != st.generation)
          for (const auto& [key, e] : st.entries)
            if (st.ready.count(e.mapping_partition))
              out.push_back({e.topic, e.partition, e.mapping});
        return {st.generation, std::move(out)};
      },
  };
}

} // namespace k2k::offset_mapping
