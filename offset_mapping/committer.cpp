#include "offset_mapping/committer.hpp"

#include "core/commit_plan.hpp"
#include "core/deadline.hpp"
#include "offset_mapping/error.hpp"
#include "offset_mapping/offset_clients.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace k2k::offset_mapping {

using namespace std::chrono_literals;

namespace {

// Each notice once per group-partition and current offset: a group that stays stale is said
// once, not every cycle.
void log_once(committer_state& st, const std::string& group, const core::commit_notice& n) {
  using kind = core::commit_notice::kind;
  const auto& [topic, partition] = n.partition;
  auto current = n.current.offset.value;
  const char* why = n.what == kind::rewind ? "rewind" : n.what == kind::stale ? "stale" : "foreign";
  if (!st.noted
           .insert(group + "/" + topic + "/" + std::to_string(partition) + "/" +
                   std::to_string(current) + "/" + why)
           .second)
    return;
  switch (n.what) {
  case kind::rewind:
    spdlog::warn("offset-mapping: {} {}[{}]: moving {} back to {} "
                 "(features.applyMappingsGuard is disabled)",
                 group, topic, partition, current, n.proposed.value);
    break;
  case kind::stale:
    spdlog::info("offset-mapping: {} {}[{}]: not moving {} -> {}: the target holds a newer "
                 "version ({})",
                 group, topic, partition, current, n.proposed.value, n.current.metadata);
    break;
  case kind::foreign:
    spdlog::info("offset-mapping: {} {}[{}]: left alone: its commit ({}, metadata \"{}\") "
                 "was not made by k2k",
                 group, topic, partition, current, n.current.metadata);
    break;
  }
}

} // namespace

committer_actor::behavior_type committer(committer_actor::stateful_pointer<committer_state> self,
                                         config::pipeline_config cfg,
                                         std::shared_ptr<service_counters> counters,
                                         std::shared_ptr<write_fence> fence, std::string helper) {
  // A request lives no longer than the commit timeout, so an abandoned write's client is
  // destroyed within it too (group_client::commit).
  self->state.groups =
      make_offset_clients(cfg.groups, cfg.target, cfg.groups.commit_timeout, helper);
  return {
      [=](commit_atom, const std::string& group,
          std::vector<commit_entry> entries) -> caf::result<commit_report> {
        commit_report report;
        // The gauge is the sum over the lanes of each one's latest sample.
        auto waiting = static_cast<int64_t>(self->mailbox().size());
        counters->committer_mailbox += waiting - self->state.mailbox_sample;
        self->state.mailbox_sample = waiting;
        // The check and the write share one deadline from here: the write is answered by then
        // or abandoned, landing within twice the timeout or never, which a worker that took a
        // mapping partition over waits out (its lease).
        auto checked = write_fence::clock::now();
        auto deadline = checked + cfg.groups.commit_timeout;
        auto leased = std::stable_partition(entries.begin(), entries.end(), [&](const auto& e) {
          return fence->writable(e.mapping_partition, checked);
        });
        report.not_leased = static_cast<int32_t>(entries.end() - leased);
        entries.erase(leased, entries.end());
        if (entries.empty())
          return report;
        auto& client = *self->state.groups;
        const auto& prefix = cfg.groups.offset_guard_prefix;
        std::vector<kafka::topic_partition> partitions;
        for (const auto& e : entries)
          partitions.emplace_back(e.target_topic, e.target_partition);
        auto current = client.committed(group, partitions, deadline);
        if (!current) {
          self->state.groups->forget(group);
          return make_error(current.error()); // the group counts it and retries next cycle
        }
        std::map<core::target_partition, core::current_commit> now;
        for (const auto& [tp, c] : *current)
          now.emplace(tp, core::current_commit{core::target_offset{c.offset}, c.metadata});
        std::vector<core::proposed_commit> proposed;
        for (const auto& e : entries)
          proposed.push_back(
              {{e.target_topic, e.target_partition},
               core::target_offset{e.target_offset},
               {core::source_offset{e.source_offset}, e.mapping_partition, e.mapping_position}});
        auto plan = core::plan_commits(proposed, now, prefix, cfg.features.apply_mappings_guard);
        for (const auto& n : plan.notices)
          log_once(self->state, group, n);
        report.unchanged = plan.unchanged;
        report.stale = plan.stale;
        report.foreign = plan.foreign;
        std::map<kafka::topic_partition, kafka::committed_offset> writes;
        for (auto& [tp, w] : plan.writes)
          writes[tp] = {w.offset.value, std::move(w.metadata)};
        counters->commits_unchanged += static_cast<uint64_t>(report.unchanged);
        counters->skipped_stale += static_cast<uint64_t>(report.stale);
        counters->skipped_foreign += static_cast<uint64_t>(report.foreign);
        if (writes.empty())
          return report;
        auto written = client.commit(group, writes, deadline);
        if (!written) {
          if (written.error().code == ec::active_group) {
            report.active_group = true;
            ++counters->active_group;
            if (cfg.error_handling.on_active_consumer_group_commit == config::on_error::fail)
              spdlog::error("offset-mapping: group {} has live members on target: not written "
                            "(errorHandling.onActiveConsumerGroupCommit: fail)",
                            group);
            else
              spdlog::debug("offset-mapping: group {} has live members on target: skipped", group);
            return report;
          }
          return make_error(written.error()); // the group counts it and retries next cycle
        }
        for (const auto& [tp, outcome] : *written) {
          if (outcome.error) {
            ++counters->errors;
            spdlog::warn("offset-mapping: {} {}[{}]: commit failed: {}", group, tp.first, tp.second,
                         rd_kafka_err2str(outcome.error));
            continue;
          }
          ++report.written;
          ++counters->commits_written;
        }
        return report;
      },
      [=](forget_atom, const std::string& group) { self->state.groups->forget(group); },
  };
}

} // namespace k2k::offset_mapping
