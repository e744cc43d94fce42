#include "migration/migrator.hpp"

#include "core/decimal.hpp"
#include "core/guard.hpp"
#include "core/mapping_record.hpp"
#include "core/migration_verdict.hpp"
#include "core/resume_search.hpp"
#include "kafka/admin.hpp"
#include "kafka/client.hpp"
#include "kafka/group_offsets.hpp"
#include "kafka/headers.hpp"
#include "kafka/partition_reader.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <set>
#include <thread>

namespace k2k::migration {

namespace {

using kafka::topic_partition;
using offsets_map = std::map<topic_partition, kafka::committed_offset>;

std::string describe(const topic_partition& tp) {
  return kafka::describe(tp.first, tp.second);
}

// A group-less reader of committed data that reports partition ends.
kafka::handle_ptr make_reader(const config::kafka_settings& settings) {
  auto props = settings.for_consumer();
  props["group.id"] = "k2k-migrate-reader"; // never subscribes nor commits
  props["auto.offset.reset"] = "earliest";  // a read below the log start begins at the start
  return kafka::make_partition_reader(std::move(props));
}

// The first record at or after `from` (offset and timestamp), if the partition has one.
struct first_record {
  int64_t offset = -1;
  int64_t timestamp = -1;
};

class migrator {
public:
  migrator(const config::pipeline_config& config, const migration_options& options,
           const progress_fn& progress)
      : config_(config), options_(options), progress_(progress),
        source_admin_(kafka::make_admin_client(config.source.kafka.for_admin())),
        target_admin_(kafka::make_admin_client(config.target.kafka.for_admin())),
        source_reader_(make_reader(config.source.kafka)),
        target_reader_(make_reader(config.target.kafka)) {
    report_.group = options.group;
    report_.target_group = options.target_group.empty() ? options.group : options.target_group;
    report_.dry_run = options.dry_run;
  }

  result<migration_report> run() {
    if (!config_.features.tracing_headers.offset)
      return error_info{ec::invalid_config,
                        "migration needs the " + config_.tracing_headers.offset +
                            " tracing header, which this pipeline's replicator does not write "
                            "(features.tracingHeaders)"};
    auto committed = source_commits();
    if (!committed)
      return committed.error();
    if (auto e = check_source_stopped(*committed))
      return *e;
    if (auto e = check_target_group())
      return *e;
    for (auto& row : report_.rows)
      if (row.status != partition_status::no_commit)
        if (auto e = locate(row))
          return *e;
    while (options_.wait && behind() && !options_.stopping()) {
      for (const auto& row : report_.rows)
        if (row.status == partition_status::behind)
          progress_("waiting for replication of " + describe({row.topic, row.partition}) +
                    " (group committed " + std::to_string(row.source_offset) + "): " + row.note);
      std::this_thread::sleep_for(options_.wait_poll);
      for (auto& row : report_.rows)
        if (row.status == partition_status::behind)
          if (auto e = locate(row))
            return *e;
    }
    std::vector<std::string> unresolved;
    for (const auto& row : report_.rows)
      if (row.status == partition_status::behind || row.status == partition_status::untraced)
        unresolved.push_back(describe({row.topic, row.partition}) + " (" + to_string(row.status) +
                             ")");
    if (!unresolved.empty()) {
      std::string list;
      for (const auto& u : unresolved)
        list += (list.empty() ? "" : ", ") + u;
      report_.refusal = std::to_string(unresolved.size()) +
                        " partition(s) cannot be migrated yet: " + list +
                        "; nothing committed (a group moves whole or not at all)";
      return report_;
    }
    if (options_.dry_run)
      return report_;
    if (auto e = commit())
      return *e;
    return report_;
  }

private:
  // The group's committed offsets, one row per partition of the chosen topics.
  result<offsets_map> source_commits() {
    auto topics = kafka::list_topics(source_admin_.get(), options_.request_timeout);
    if (!topics)
      return topics.error();
    std::set<std::string> chosen(options_.topics.begin(), options_.topics.end());
    for (const auto& t : chosen)
      if (!topics->count(t))
        return error_info{ec::invalid_config, "topic " + t + " does not exist on source"};
    offsets_map committed;
    if (chosen.empty()) {
      // Real brokers list every partition the group has commits for; the mock needs the
      // partitions named, so fall back to every topic this pipeline replicates.
      auto all = kafka::list_group_offsets(source_admin_.get(), options_.group, {},
                                           options_.request_timeout);
      if (!all)
        return all.error();
      for (const auto& [tp, c] : *all)
        if (config_.replication.topics.matches(tp.first))
          chosen.insert(tp.first);
        else
          spdlog::warn("migrate: group {} also has commits on {}, which this pipeline does not "
                       "replicate: left out",
                       options_.group, describe(tp));
      if (chosen.empty())
        for (const auto& [name, partitions] : *topics)
          if (config_.replication.topics.matches(name))
            chosen.insert(name);
    }
    std::vector<topic_partition> partitions;
    for (const auto& t : chosen)
      for (int32_t p = 0; p < topics->at(t); ++p)
        partitions.emplace_back(t, p);
    if (!partitions.empty()) {
      auto read = kafka::list_group_offsets(source_admin_.get(), options_.group, partitions,
                                            options_.request_timeout);
      if (!read)
        return read.error();
      committed = std::move(*read);
    }
    if (committed.empty())
      return error_info{ec::invalid_config, "group " + options_.group +
                                                " has no committed offsets on source for the "
                                                "topics this pipeline replicates"};
    for (const auto& tp : partitions) {
      partition_row row;
      row.topic = tp.first;
      row.partition = tp.second;
      row.target_topic = config_.replication.sink.target_topic(tp.first);
      auto c = committed.find(tp);
      if (c == committed.end()) {
        row.status = partition_status::no_commit;
        row.note = "no commit on source: left to the consumer's auto.offset.reset";
      } else {
        row.source_offset = c->second.offset;
      }
      report_.rows.push_back(std::move(row));
    }
    return committed;
  }

  std::optional<error_info> check_source_stopped(const offsets_map& committed) {
    auto described =
        kafka::describe_group(source_admin_.get(), options_.group, options_.request_timeout);
    if (described) {
      if (described->members > 0)
        return error_info{ec::active_group, "consumer group " + options_.group + " has " +
                                                std::to_string(described->members) +
                                                " live member(s) on source (" + described->state +
                                                "): stop the application before migrating it"};
      report_.stopped_check = "source group " + described->state + ", no members";
      return std::nullopt;
    }
    if (described.error().code != ec::not_supported)
      return described.error();
    auto settle = std::to_string(options_.settle_interval.count()) + " ms";
    if (!options_.confirm_stopped)
      return error_info{ec::not_supported,
                        "the source cluster cannot describe consumer groups (" +
                            described.error().message + "), so k2k cannot see whether " +
                            options_.group +
                            " is stopped: stop the application, then rerun with --confirm-stopped "
                            "(k2k then checks that its committed offsets stay unchanged for " +
                            settle + ", --settle-interval)"};
    progress_("confirming that group " + options_.group +
              " is stopped: its committed offsets must stay unchanged for " + settle);
    std::this_thread::sleep_for(options_.settle_interval);
    std::vector<topic_partition> partitions;
    for (const auto& [tp, c] : committed)
      partitions.push_back(tp);
    auto again = kafka::list_group_offsets(source_admin_.get(), options_.group, partitions,
                                           options_.request_timeout);
    if (!again)
      return again.error();
    for (const auto& [tp, c] : committed) {
      auto now = again->find(tp);
      int64_t moved_to = now == again->end() ? -1 : now->second.offset;
      if (moved_to != c.offset)
        return error_info{ec::active_group, "the committed offset of group " + options_.group +
                                                " on " + describe(tp) + " moved from " +
                                                std::to_string(c.offset) + " to " +
                                                std::to_string(moved_to) + " within " + settle +
                                                ": the group is still consuming; stop it first"};
    }
    report_.stopped_check = "--confirm-stopped: offsets unchanged for " + settle;
    return std::nullopt;
  }

  std::optional<error_info> check_target_group() {
    const auto& group = report_.target_group;
    auto described = kafka::describe_group(target_admin_.get(), group, options_.request_timeout);
    if (described && described->members > 0)
      return error_info{ec::active_group, "consumer group " + group + " has " +
                                              std::to_string(described->members) +
                                              " live member(s) on target (" + described->state +
                                              "): stop them before migrating onto it"};
    if (!described && described.error().code != ec::not_supported)
      return described.error();
    // Where the target cannot describe groups, the broker refuses the commit of a group with
    // live members (UNKNOWN_MEMBER_ID), which comes back as the same error at commit time.
    std::vector<topic_partition> partitions;
    for (const auto& row : report_.rows)
      if (row.status != partition_status::no_commit)
        partitions.emplace_back(row.target_topic, row.partition);
    auto existing =
        kafka::list_group_offsets(target_admin_.get(), group, partitions, options_.request_timeout);
    if (!existing)
      return existing.error();
    if (existing->empty())
      return std::nullopt;
    std::string list;
    for (const auto& [tp, c] : *existing)
      list += (list.empty() ? "" : ", ") + describe(tp) + "=" + std::to_string(c.offset);
    if (!options_.force)
      return error_info{ec::invalid_config, "consumer group " + group +
                                                " already has committed offsets on target (" +
                                                list + "): rerun with --force to overwrite them"};
    progress_("--force: overwriting the existing commits of " + group + " on target (" + list +
              ")");
    return std::nullopt;
  }

  bool behind() const {
    return std::any_of(report_.rows.begin(), report_.rows.end(),
                       [](const partition_row& r) { return r.status == partition_status::behind; });
  }

  result<std::optional<first_record>> first_from(rd_kafka_t* reader, const std::string& topic,
                                                 int32_t partition, int64_t from) {
    std::optional<first_record> first;
    auto end = kafka::read_records(
        reader, topic, partition, from, 1,
        [&](const rd_kafka_message_t& m) {
          first = first_record{m.offset, rd_kafka_message_timestamp(&m, nullptr)};
        },
        options_.request_timeout);
    if (!end)
      return end.error();
    return first;
  }

  // The record's source offset if it was replicated from `topic`[partition].
  std::optional<int64_t> traced_source(const rd_kafka_message_t& m, const std::string& topic,
                                       int32_t partition) {
    const auto& names = config_.tracing_headers;
    auto offset = kafka::header_value(m, names.offset);
    if (!offset)
      return std::nullopt;
    ++offset_headers_seen_;
    auto parsed = core::parse_decimal(*offset);
    if (!parsed) {
      bad_headers_.insert(m.offset); // a record may be read twice (search, verification)
      return std::nullopt;
    }
    // Topic and partition headers may be switched off; where present they must match.
    auto t = kafka::header_value(m, names.topic);
    auto p = kafka::header_value(m, names.partition);
    if ((t && *t != topic) || (p && core::parse_decimal(*p) != partition))
      return std::nullopt;
    return parsed;
  }

  std::optional<error_info> locate(partition_row& row) {
    row.note.clear();
    learn(source_reader_.get(), row.topic);
    learn(target_reader_.get(), row.target_topic);
    auto target_wm = kafka::watermarks(target_reader_.get(), row.target_topic, row.partition);
    if (!target_wm)
      return target_wm.error();
    auto [low, high] = *target_wm;
    offset_headers_seen_ = 0;
    bad_headers_.clear();
    core::probe_fn probe = [&](int64_t from, int64_t n) -> result<core::probe_window> {
      core::probe_window w;
      auto end = kafka::read_records(
          target_reader_.get(), row.target_topic, row.partition, from, n,
          [&](const rd_kafka_message_t& m) {
            ++w.records_read;
            if (auto s = traced_source(m, row.topic, row.partition))
              w.traced.push_back({m.offset, *s});
            else
              ++w.untraced;
          },
          options_.request_timeout);
      if (!end)
        return end.error();
      w.end = *end;
      return w;
    };
    core::resume_search_options search;
    search.verify = options_.verify_records >= 0 ? options_.verify_records
                                                 : config_.replicator.max_in_flight_records;
    // Narrow with the source record's timestamp where the target can look offsets up by time.
    auto at_s = first_from(source_reader_.get(), row.topic, row.partition, row.source_offset);
    if (!at_s)
      return at_s.error();
    if (*at_s) {
      auto by_time = kafka::offset_for_time(target_reader_.get(), row.target_topic, row.partition,
                                            (*at_s)->timestamp, options_.request_timeout);
      if (by_time && *by_time >= low && *by_time < high)
        search.hint = *by_time;
    }
    auto started = std::chrono::steady_clock::now();
    auto found = core::find_resume_position(row.source_offset, low, high, probe, search);
    if (!found)
      return found.error();
    spdlog::debug("migrate: {} committed {}: target {} ({}), {} reads, {} records, {} ms",
                  describe({row.topic, row.partition}), row.source_offset, found->target_offset,
                  core::to_string(found->how), found->probes, found->records_read,
                  std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count());
    row.probes = found->probes;
    row.records_read = found->records_read;
    if (!bad_headers_.empty())
      row.note = std::to_string(bad_headers_.size()) + " record(s) with a non-numeric " +
                 config_.tracing_headers.offset + " header skipped; ";
    core::migration_facts facts;
    facts.committed = row.source_offset;
    facts.found = *found;
    if (*at_s)
      facts.first_source_at_committed = (*at_s)->offset;
    facts.target_high = high;
    facts.offset_headers_seen = offset_headers_seen_ > 0;
    facts.offset_header = config_.tracing_headers.offset;
    facts.target = kafka::describe(row.target_topic, row.partition);
    auto verdict = core::judge_resume(facts, source_reads(row));
    if (!verdict)
      return verdict.error();
    row.status = verdict->status;
    row.note += verdict->note;
    if (verdict->status == partition_status::ready) {
      row.found = verdict->found;
      row.target_offset = verdict->target_offset;
    }
    return std::nullopt;
  }

  // The source reads a verdict may need (core/migration_verdict.hpp).
  core::migration_reads source_reads(const partition_row& row) {
    auto first_offset = [this, &row](int64_t from) -> result<std::optional<int64_t>> {
      auto first = first_from(source_reader_.get(), row.topic, row.partition, from);
      if (!first)
        return first.error();
      return *first ? std::optional<int64_t>{(*first)->offset} : std::nullopt;
    };
    return {first_offset, [this, &row, first_offset]() -> result<std::optional<int64_t>> {
              auto wm = kafka::watermarks(source_reader_.get(), row.topic, row.partition);
              if (!wm)
                return wm.error();
              return first_offset(wm->first);
            }};
  }

  // Once per reader and topic: its first read would otherwise wait up to a second for
  // librdkafka's topic scan (kafka::learn_topic); a failure only costs that wait.
  void learn(rd_kafka_t* reader, const std::string& topic) {
    if (learned_.emplace(reader, topic).second &&
        !kafka::learn_topic(reader, topic, options_.request_timeout))
      spdlog::debug("migrate: no metadata for {} yet; its first read may wait", topic);
  }

  // One request for every partition, with guard metadata the offset-mapping service treats
  // as an ordinary version: src = the committed source offset, map = the mapping partition
  // of this source partition at position 0 (the migration applied no mappings).
  std::optional<error_info> commit() {
    auto topics = kafka::list_topics(target_admin_.get(), options_.request_timeout);
    if (!topics)
      return topics.error();
    auto mapping = topics->find(config_.offset_mapping.topic);
    int32_t mapping_partitions =
        mapping != topics->end() ? mapping->second : config_.offset_mapping.partitions;
    offsets_map offsets;
    for (const auto& row : report_.rows) {
      if (row.status != partition_status::ready)
        continue;
      auto map_partition =
          kafka::key_partition(core::mapping_key(row.topic, row.partition), mapping_partitions);
      offsets[{row.target_topic, row.partition}] = {
          row.target_offset,
          core::encode_guard_metadata(config_.groups.offset_guard_prefix,
                                      {core::source_offset{row.source_offset}, map_partition, 0})};
    }
    auto written = kafka::alter_group_offsets(target_admin_.get(), report_.target_group, offsets,
                                              options_.request_timeout);
    if (!written) {
      if (written.error().code == ec::active_group)
        return error_info{ec::active_group,
                          "consumer group " + report_.target_group +
                              " has live members on target: stop them before migrating onto it (" +
                              written.error().message + ")"};
      return written.error();
    }
    for (const auto& [tp, outcome] : *written)
      if (outcome.error)
        return error_info{ec::kafka_error, "committing " + describe(tp) + " for group " +
                                               report_.target_group + ": " +
                                               rd_kafka_err2str(outcome.error)};
    report_.committed = true;
    return std::nullopt;
  }

  const config::pipeline_config& config_;
  const migration_options& options_;
  const progress_fn& progress_;
  kafka::handle_ptr source_admin_, target_admin_, source_reader_, target_reader_;
  std::set<std::pair<rd_kafka_t*, std::string>> learned_; // topics each reader has metadata of
  migration_report report_;
  int64_t offset_headers_seen_ = 0;
  std::set<int64_t> bad_headers_; // target offsets of records with a non-numeric header
};

} // namespace

result<migration_report> migrate(const config::pipeline_config& config,
                                 const migration_options& options, const progress_fn& progress) {
  try {
    return migrator{config, options, progress}.run();
  } catch (const std::exception& e) { // client creation refused by librdkafka
    return error_info{ec::kafka_error, e.what()};
  }
}

} // namespace k2k::migration
