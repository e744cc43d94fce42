#include "offset_mapping/source_offsets.hpp"

#include "offset_mapping/error.hpp"
#include "offset_mapping/offset_clients.hpp"

#include <caf/all.hpp>

namespace k2k::offset_mapping {

using namespace std::chrono_literals;

source_offsets_actor::behavior_type
source_offsets(source_offsets_actor::stateful_pointer<source_offsets_state> self,
               config::pipeline_config cfg, std::string helper) {
  self->state.groups = make_offset_clients(cfg.groups, cfg.source, 60s, helper);
  return {
      [=](fetch_atom, const std::string& group,
          const std::vector<source_commit>& wanted) -> caf::result<std::vector<source_commit>> {
        std::vector<kafka::topic_partition> partitions;
        for (const auto& w : wanted)
          partitions.emplace_back(w.topic, w.partition);
        auto committed = self->state.groups->committed(group, partitions,
                                                       std::chrono::steady_clock::now() + 10s);
        if (!committed) {
          self->state.groups->forget(group);
          return make_error(committed.error());
        }
        std::vector<source_commit> out;
        for (const auto& [tp, c] : *committed)
          out.push_back({tp.first, tp.second, c.offset});
        return out;
      },
  };
}

} // namespace k2k::offset_mapping
