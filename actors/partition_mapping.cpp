#include "actors/partition_mapping.hpp"

#include "core/translation.hpp"

#include <caf/all.hpp>

#include <chrono>

namespace k2k::actors {

partition_mapping_actor::behavior_type
partition_mapping(partition_mapping_actor::stateful_pointer<partition_mapping_state> self,
                  index_retention retention, std::shared_ptr<service_counters> counters) {
  return {
      [=](apply_atom, const mapping_update& u) {
        counters->sample_mapping_mailbox(static_cast<int64_t>(self->mailbox().size()));
        auto& st = self->state;
        auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
        for (size_t i = 0; i + 2 < u.runs.size(); i += 3)
          st.index.apply({core::source_offset{u.runs[i]}, core::target_offset{u.runs[i + 1]},
                          u.runs[i + 2], now_ms});
        st.index.observe_source_next(core::source_offset{u.source_next});
        // Prefix truncation: offsets below the first kept run translate as "below first".
        st.index.truncate_to_runs(retention.max_runs);
        if (retention.max_age.count() > 0)
          st.index.truncate_older_than(now_ms - retention.max_age.count());
        st.target_topic = u.target_topic;
        st.target_partition = u.target_partition;
        st.mapping_partition = u.mapping_partition;
        st.mapping_position = std::max(st.mapping_position, u.mapping_offset + 1);
      },
      [=](translate_atom, int64_t committed) -> translation_reply {
        counters->sample_mapping_mailbox(static_cast<int64_t>(self->mailbox().size()));
        const auto& st = self->state;
        auto t = core::translate(st.index, core::source_offset{committed});
        return {static_cast<int32_t>(t.outcome),
                t.target.value,
                st.target_topic,
                st.target_partition,
                st.mapping_partition,
                st.mapping_position};
      },
  };
}

} // namespace k2k::actors
