#include "offset_mapping/partition_index.hpp"

#include "offset_mapping/caf_logger_off.hpp"

#include "core/pipeline_choice.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdint>

namespace k2k::offset_mapping {

namespace {

// What every pipeline's mappings cover (-1: none yet): no translation of an offset up to it
// is pending. The least of them, so that a wake never comes while some pipeline would still
// answer pending (the group would ask again at once, round and round).
int64_t covered(const partition_index_state& st) {
  if (st.pipelines.empty())
    return -1;
  int64_t out = INT64_MAX;
  for (const auto& [name, p] : st.pipelines)
    out = std::min(out, p.index.covered().value);
  return out;
}

void wake(const caf::actor_addr& waiting) {
  if (auto group = caf::actor_cast<group_actor>(waiting))
    caf::anon_send(group, wake_atom::value);
}

} // namespace

partition_index_actor::behavior_type
partition_index(partition_index_actor::stateful_pointer<partition_index_state> self,
                index_retention retention, std::shared_ptr<service_counters> counters,
                config::on_error on_multiple_pipelines) {
  return {
      [=](apply_atom, const mapping_update& u) {
        leave_caf_logger();
        counters->sample_mapping_mailbox(static_cast<int64_t>(self->mailbox().size()));
        auto& st = self->state;
        auto& p = st.pipelines[u.pipeline];
        auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
        for (size_t i = 0; i + 2 < u.runs.size(); i += 3)
          p.index.apply({core::source_offset{u.runs[i]}, core::target_offset{u.runs[i + 1]},
                         u.runs[i + 2], now_ms});
        p.index.observe_source_next(core::source_offset{u.source_next});
        // Prefix truncation: offsets below the first kept run translate as "below first".
        p.index.truncate_to_runs(retention.max_runs);
        if (retention.max_age.count() > 0)
          p.index.truncate_older_than(now_ms - retention.max_age.count());
        p.target_topic = u.target_topic;
        p.target_partition = u.target_partition;
        p.last_update = u.mapping_offset;
        st.mapping_partition = u.mapping_partition;
        st.mapping_position = std::max(st.mapping_position, u.mapping_offset + 1);
        auto now_covered = covered(st);
        while (!st.waiting.empty() && st.waiting.begin()->first <= now_covered) {
          wake(st.waiting.begin()->second);
          st.waiting.erase(st.waiting.begin());
        }
      },
      [=](await_atom, int64_t committed) {
        auto& st = self->state;
        auto sender = caf::actor_cast<caf::actor_addr>(self->current_sender());
        if (committed <= covered(st))
          return wake(sender); // covered between the translation and this
        auto [from, until] = st.waiting.equal_range(committed);
        for (auto it = from; it != until; ++it)
          if (it->second == sender)
            return; // each cycle of a group at the same offset asks again
        st.waiting.emplace(committed, sender);
      },
      [=](translate_atom, int64_t committed) -> translation_reply {
        leave_caf_logger();
        counters->sample_mapping_mailbox(static_cast<int64_t>(self->mailbox().size()));
        auto& st = self->state;
        translation_reply reply{static_cast<int32_t>(core::translation_outcome::pending),
                                -1,
                                "",
                                0,
                                st.mapping_partition,
                                st.mapping_position,
                                ""};
        core::pipeline_choice choice;
        for (const auto& [name, p] : st.pipelines)
          choice.consider({name, p.target_topic, p.target_partition, p.last_update,
                           core::translate(p.index, core::source_offset{committed})});
        reply.outcome = static_cast<int32_t>(choice.outcome());
        if (choice.chosen()) {
          const auto& chosen = choice.answer();
          reply.target_offset = chosen.answer.target.value;
          reply.target_topic = std::string{chosen.target_topic};
          reply.target_partition = chosen.target_partition;
        }
        const auto& disagreement = choice.disagreement();
        if (!disagreement.empty()) {
          ++counters->multiple_target_offsets;
          bool fail = on_multiple_pipelines == config::on_error::fail;
          if (fail)
            reply.conflict = "source offset " + std::to_string(committed) +
                             " is mapped by several pipelines to different target offsets (" +
                             disagreement + ", and the newest)";
          if (!st.conflict_logged) {
            st.conflict_logged = true;
            spdlog::log(fail ? spdlog::level::err : spdlog::level::warn,
                        "offset-mapping: source offset {} of this partition is mapped by several "
                        "pipelines to different target offsets ({}, and the newest): {} "
                        "(errorHandling.onMultipleTargetCommittedOffsets: {})",
                        committed, disagreement,
                        fail ? "not committed" : "the newest mapping is used",
                        fail ? "fail" : "ignore");
          }
        }
        return reply;
      },
  };
}

} // namespace k2k::offset_mapping
