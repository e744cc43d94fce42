#include "observability/service_metrics.hpp"

#include "core/metrics_text.hpp"

namespace k2k::observability {

std::string replication_metrics(const replication::replication_status& s,
                                const std::string& pipeline) {
  core::metrics_text m;
  const core::metric_labels p{{"pipeline", pipeline}};
  m.counter("k2k_replicated_records_total", "Records confirmed on target.", double(s.records), p);
  m.counter("k2k_replicated_bytes_total", "Key and value bytes confirmed on target.",
            double(s.bytes), p);
  m.counter("k2k_mappings_published_total", "Offset mapping records confirmed on target.",
            double(s.mappings), p);
  m.counters_by("k2k_replicator_errors_total", "Errors by kind.", p, "kind",
                {{"delivery", double(s.delivery_errors)},
                 {"rewind", double(s.rewinds)},
                 {"aborted_transaction", double(s.aborted_transactions)}});
  m.counter("k2k_replicator_records_deleted_on_source_total",
            "Source records deleted (retention, DeleteRecords) before they were replicated.",
            double(s.records_deleted_on_source), p);
  m.gauge("k2k_in_flight_records", "Records taken from source and not yet confirmed on target.",
          double(s.in_flight), p);
  m.gauge("k2k_replicator_up", "1 while replicating.",
          s.state == replication::replication_status::phase::running ? 1 : 0, p);
  for (const auto& part : s.partitions) {
    core::metric_labels l{{"pipeline", pipeline},
                          {"topic", part.topic},
                          {"partition", std::to_string(part.partition)}};
    if (part.lag >= 0)
      m.gauge("k2k_replication_lag_records", "Source high watermark minus next offset to copy.",
              double(part.lag), l);
    m.gauge("k2k_replication_next_offset", "Next source offset to replicate.",
            double(part.next_offset), l);
    m.gauge("k2k_replication_checkpoint_offset",
            "Source offset up to which mappings (the checkpoint) are confirmed.",
            double(part.checkpoint), l);
  }
  return m.str();
}

health_report replication_health(const replication::replication_status& s) {
  using phase = replication::replication_status::phase;
  switch (s.state) {
  case phase::running:
    return {true, "replicating " + std::to_string(s.partitions.size()) + " partition(s)"};
  case phase::failed:
    return {false, "failed: " + s.error};
  default:
    return {false, replication::to_string(s.state)};
  }
}

std::string offset_mapping_metrics(const offset_mapping::service_counters& c,
                                   const std::string& pipeline) {
  core::metrics_text m;
  const core::metric_labels p{{"pipeline", pipeline}};
  m.counter("k2k_mappings_ingested_total", "Mapping records applied to the offset indexes.",
            double(c.mapping_records.load()), p);
  m.counter("k2k_mapping_poison_records_total", "Undecodable mapping records skipped.",
            double(c.poison_records.load()), p);
  m.gauge("k2k_mapping_partitions", "Mapping partitions assigned to this worker.",
          double(c.mapping_partitions.load()), p);
  m.gauge("k2k_mapping_partitions_loading",
          "Assigned mapping partitions not yet read up to their end (no translation yet).",
          double(c.mapping_loading.load()), p);
  m.gauge("k2k_mapping_ingest_lag_records", "Records behind the mapping partitions' ends.",
          double(c.mapping_lag.load()), p);
  m.gauge("k2k_groups_translated", "Consumer groups this worker translates.",
          double(c.groups.load()), p);
  m.gauge("k2k_source_commit_groups",
          "Source groups with committed offsets, as read from __consumer_offsets.",
          double(c.source_commit_groups.load()), p);
  m.counter("k2k_source_commit_records_skipped_total",
            "__consumer_offsets records not decoded (malformed or of an unknown version).",
            double(c.source_commit_records_skipped.load()), p);
  m.counters_by(
      "k2k_translations_total", "Translations of committed source offsets, by outcome.", p,
      "outcome",
      {{"translated", double(c.translated.load())}, {"pending", double(c.pending.load())}});
  m.counters_by("k2k_commits_total", "Target group-partition commits, by result.", p, "result",
                {{"written", double(c.commits_written.load())},
                 {"unchanged", double(c.commits_unchanged.load())}});
  m.counter("k2k_group_checks_skipped_total",
            "Group cycles whose translations the committer had confirmed: target not asked.",
            double(c.checks_skipped.load()), p);
  m.counters_by(
      "k2k_guard_rejections_total", "Commits the rewind guard refused, by reason.", p, "reason",
      {{"stale", double(c.skipped_stale.load())}, {"foreign", double(c.skipped_foreign.load())}});
  m.counters_by("k2k_offset_mapping_errors_total", "Errors by kind.", p, "kind",
                {{"active_group", double(c.active_group.load())},
                 {"kafka", double(c.errors.load())},
                 {"multiple_target_offsets", double(c.multiple_target_offsets.load())}});
  m.gauges_by("k2k_actor_mailbox_messages",
              "Messages waiting in an actor's mailbox (the committer serialises every group's "
              "commits).",
              p, "actor",
              {{"committer", double(c.committer_mailbox.load())},
               {"partition_mapping_max", double(c.mapping_mailbox_max.load())}});
  m.counter("k2k_group_cycles_total", "Completed group translation cycles.",
            double(c.cycles.load()), p);
  return m.str();
}

health_report offset_mapping_health(const offset_mapping::service_counters& c) {
  if (c.stopped)
    return {false, "stopped"};
  if (auto loading = c.mapping_loading.load(); loading > 0)
    return {false, "loading " + std::to_string(loading) +
                       " mapping partition(s) before translating (no commit from a partial view)"};
  return {true, std::to_string(c.mapping_partitions.load()) + " mapping partition(s), " +
                    std::to_string(c.cycles.load()) + " group cycles"};
}

} // namespace k2k::observability
