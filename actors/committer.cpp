#include "actors/committer.hpp"

#include "core/guard.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

namespace k2k::actors {

using namespace std::chrono_literals;

committer_actor::behavior_type committer(committer_actor::stateful_pointer<committer_state> self,
                                         config::pipeline_config cfg,
                                         std::shared_ptr<service_counters> counters) {
  self->state.groups = std::make_unique<kafka::group_client_pool>(cfg.target.kafka.for_consumer());
  return {
      [=](commit_atom, const std::string& group,
          const std::vector<commit_entry>& entries) -> commit_report {
        commit_report report;
        // The gauge is the sum over the lanes of each one's latest sample.
        auto waiting = static_cast<int64_t>(self->mailbox().size());
        counters->committer_mailbox += waiting - self->state.mailbox_sample;
        self->state.mailbox_sample = waiting;
        auto& client = (*self->state.groups)[group];
        const auto& prefix = cfg.groups.offset_guard_prefix;
        std::vector<kafka::topic_partition> partitions;
        for (const auto& e : entries)
          partitions.emplace_back(e.target_topic, e.target_partition);
        auto current = client.committed(partitions, 10s);
        if (!current) {
          ++counters->errors;
          self->state.groups->forget(group);
          report.error = current.error().message;
          spdlog::warn("offset-mapping: {}; retrying next cycle", report.error);
          return report;
        }
        auto first_notice = [&](const kafka::topic_partition& tp, int64_t offset, const char* why) {
          return self->state.noted
              .insert(group + "/" + tp.first + "/" + std::to_string(tp.second) + "/" +
                      std::to_string(offset) + "/" + why)
              .second;
        };
        std::map<kafka::topic_partition, kafka::committed_offset> writes;
        for (const auto& e : entries) {
          kafka::topic_partition tp{e.target_topic, e.target_partition};
          std::optional<core::current_commit> now;
          if (auto it = current->find(tp); it != current->end())
            now = core::current_commit{core::target_offset{it->second.offset}, it->second.metadata};
          core::guard_version version{core::source_offset{e.source_offset}, e.mapping_partition,
                                      e.mapping_position};
          switch (core::decide_commit(now, core::target_offset{e.target_offset}, version, prefix,
                                      cfg.features.apply_mappings_guard)) {
          case core::guard_decision::write:
            writes[tp] = {e.target_offset, core::encode_guard_metadata(prefix, version)};
            // With the guard off a stale view rewinds the group: the operator should see it.
            if (!cfg.features.apply_mappings_guard && now && e.target_offset < now->offset.value &&
                first_notice(tp, now->offset.value, "rewind"))
              spdlog::warn("offset-mapping: {} {}[{}]: moving {} back to {} "
                           "(features.applyMappingsGuard is disabled)",
                           group, tp.first, tp.second, now->offset.value, e.target_offset);
            break;
          case core::guard_decision::skip_unchanged:
            ++report.unchanged;
            break;
          case core::guard_decision::skip_stale:
            ++report.stale;
            if (first_notice(tp, now->offset.value, "stale"))
              spdlog::info(
                  "offset-mapping: {} {}[{}]: not moving {} -> {}: the target holds a newer "
                  "version ({})",
                  group, tp.first, tp.second, now->offset.value, e.target_offset, now->metadata);
            break;
          case core::guard_decision::skip_foreign:
            ++report.foreign;
            if (first_notice(tp, now->offset.value, "foreign"))
              spdlog::info(
                  "offset-mapping: {} {}[{}]: left alone: its commit ({}, metadata \"{}\") "
                  "was not made by k2k",
                  group, tp.first, tp.second, now->offset.value, now->metadata);
            break;
          }
        }
        counters->commits_unchanged += static_cast<uint64_t>(report.unchanged);
        counters->skipped_stale += static_cast<uint64_t>(report.stale);
        counters->skipped_foreign += static_cast<uint64_t>(report.foreign);
        if (writes.empty())
          return report;
        auto written = client.commit(writes);
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
          } else {
            ++counters->errors;
            report.error = written.error().message;
            spdlog::warn("offset-mapping: {}; retrying next cycle", report.error);
          }
          return report;
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
  };
}

} // namespace k2k::actors
