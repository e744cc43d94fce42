#include "reliability/target_audit.hpp"

#include "core/decimal.hpp"
#include "kafka/client.hpp"
#include "kafka/headers.hpp"
#include "kafka/partition_reader.hpp"

#include <algorithm>

namespace k2k::reliability {

using namespace std::chrono_literals;

namespace {

kafka::handle_ptr make_reader(const std::string& bootstrap) {
  return kafka::make_partition_reader({{"bootstrap.servers", bootstrap},
                                       {"group.id", "k2k-reliability-audit"}, // never joins
                                       {"auto.offset.reset", "error"}});      // never skip a miss
}

std::string payload(const void* data, size_t size) {
  return data ? std::string(static_cast<const char*>(data), size) : std::string{};
}

std::string at(const std::string& topic, int32_t p, int64_t offset) {
  return topic + "[" + std::to_string(p) + "]@" + std::to_string(offset);
}

} // namespace

target_audit::target_audit(audit_options options)
    : o_(std::move(options)), source_reader_(make_reader(o_.source_bootstrap)),
      target_reader_(make_reader(o_.target_bootstrap)), source_(o_.partitions),
      target_(o_.partitions), copy_log_(o_.partitions), copies_(o_.partitions),
      mapping_next_(o_.mapping_partitions, 0), unchecked_(o_.partitions),
      replicated_(o_.partitions, 0), completeness_checked_(o_.partitions, 0),
      uncommitted_(o_.partitions) {}

bool target_audit::read_new(rd_kafka_t* reader, const std::string& topic, int32_t partition,
                            int64_t from,
                            const std::function<void(const rd_kafka_message_t&)>& on_record,
                            int64_t& next) {
  constexpr int64_t per_read = 20000;
  next = from;
  for (;;) {
    int64_t read = 0;
    auto end = kafka::read_records(
        reader, topic, partition, next, per_read,
        [&](const rd_kafka_message_t& m) {
          on_record(m);
          next = m.offset + 1;
          ++read;
        },
        10s);
    if (!end)
      return false; // what was read is kept; the rest next time
    if (read == per_read)
      continue; // stopped at the count, not at the partition's end
    if (*end <= next)
      return true;
    next = *end;
  }
}

std::vector<violation> target_audit::check() {
  std::vector<violation> violations;
  // Mappings first: a mapping is published only after its records were delivered, so the
  // target read that follows holds every record the mappings read here point at.
  for (int32_t mp = 0; mp < o_.mapping_partitions; ++mp) {
    int64_t next;
    read_new(
        target_reader_.get(), o_.mapping_topic, mp, mapping_next_[mp],
        [&](const rd_kafka_message_t& m) {
          auto decoded = core::decode_mapping(payload(m.payload, m.len));
          if (!decoded) {
            violations.push_back({invariant::mappings, "undecodable mapping record at " +
                                                           at(o_.mapping_topic, mp, m.offset)});
            return;
          }
          if (decoded->source_topic != o_.topic)
            return;
          auto p = decoded->source_partition;
          replicated_[p] = std::max(replicated_[p], decoded->source_next.value);
          unchecked_[p].push_back(std::move(*decoded));
        },
        next);
    mapping_next_[mp] = next;
  }
  std::vector<bool> source_read(o_.partitions, false);
  for (int32_t p = 0; p < o_.partitions; ++p) {
    int64_t next;
    auto& source = source_[p];
    source_read[p] = read_new(
        source_reader_.get(), o_.topic, p, static_cast<int64_t>(source.size()),
        [&](const rd_kafka_message_t& m) {
          source.resize(m.offset); // the mock leaves no gaps; real Kafka's stay empty
          source.emplace_back(payload(m.key, m.key_len), payload(m.payload, m.len));
        },
        next);
  }
  std::vector<bool> target_read(o_.partitions, false), target_whole(o_.partitions, false);
  for (int32_t p = 0; p < o_.partitions; ++p) {
    if (!source_read[p])
      continue; // copies are checked against the source: next time
    int64_t next;
    auto& target = target_[p];
    bool deferred = false; // the rest waits for the next check (and its source read)
    bool read = read_new(
        target_reader_.get(), o_.topic, p, static_cast<int64_t>(target.size()),
        [&](const rd_kafka_message_t& m) {
          if (deferred)
            return;
          copy c{-1, payload(m.key, m.key_len), payload(m.payload, m.len)};
          auto offset = kafka::header_value(m, "k2k_offset");
          auto topic = kafka::header_value(m, "k2k_topic");
          auto partition = kafka::header_value(m, "k2k_partition");
          if (offset && topic && *topic == o_.topic) {
            auto s = core::parse_decimal(*offset);
            auto sp = partition ? core::parse_decimal(*partition) : std::nullopt;
            if (!s || !sp || *sp != p) {
              violations.push_back(
                  {invariant::on_target,
                   "tracing headers of " + at(o_.topic, p, m.offset) + " name another partition"});
            } else if (*s >= static_cast<int64_t>(source_[p].size())) {
              deferred = true; // copied after the source was read above
              return;
            } else if (source_[p][*s] != std::make_pair(c.key, c.value)) {
              violations.push_back(
                  {invariant::on_target,
                   at(o_.topic, p, m.offset) + " differs from its source " + at(o_.topic, p, *s)});
            } else {
              c.source_offset = *s;
              copy_log_[p].add(*s, m.offset);
              if (++copies_[p][*s] >= 2 && o_.exactly_once)
                duplicates_.push_back({p, *s, copies_[p][*s], m.offset});
            }
          }
          target.resize(m.offset);
          target.push_back(std::move(c));
        },
        next);
    // A deferred read still checks the mappings up to where it stopped (the others wait);
    // completeness needs the whole read.
    target_read[p] = read;
    target_whole[p] = read && !deferred;
  }
  for (int32_t p = 0; p < o_.partitions; ++p) {
    if (!target_read[p])
      continue; // the faults kept this read short: checked next time
    // Every mapping points at the copy of the record it names.
    auto& pending = unchecked_[p];
    auto still = pending.begin();
    for (auto& r : pending) {
      auto end_needed = r.runs.empty() ? 0 : r.runs.back().target_end().value;
      if (end_needed > static_cast<int64_t>(target_[p].size())) {
        *still++ = std::move(r); // the target read failed this time
        continue;
      }
      ++mappings_checked_;
      for (const auto& run : r.runs)
        for (int64_t i = 0; i < run.count; ++i) {
          auto t = run.target_start.value + i;
          if (target_[p][t].source_offset != run.source_start.value + i) {
            violations.push_back(
                {invariant::mappings,
                 "mapping " + at(o_.topic, p, run.source_start.value + i) + " -> " +
                     std::to_string(t) + " points at a record that is " +
                     (target_[p][t].source_offset < 0
                          ? std::string{"not a copy"}
                          : "the copy of " + std::to_string(target_[p][t].source_offset))});
            break;
          }
        }
    }
    pending.erase(still, pending.end());
    if (!target_whole[p])
      continue;
    // Every source record below the replicator's published progress is on target; a
    // missing stretch is reported once.
    for (auto s = completeness_checked_[p]; s < replicated_[p]; ++s) {
      if (copies_[p].count(s))
        continue;
      auto end = s + 1;
      while (end < replicated_[p] && !copies_[p].count(end))
        ++end;
      violations.push_back(
          {invariant::on_target, "source " + at(o_.topic, p, s) + ".." + std::to_string(end - 1) +
                                     " missing on target (the replicator's mappings count it done: "
                                     "src_next " +
                                     std::to_string(replicated_[p]) + ")"});
      s = end;
    }
    completeness_checked_[p] = replicated_[p];
  }
  return violations;
}

std::vector<violation> target_audit::judge_duplicates() {
  std::vector<violation> violations;
  for (const auto& d : duplicates_) {
    const auto& ranges = uncommitted_[d.partition];
    auto excuses = std::count_if(ranges.begin(), ranges.end(), [&](const auto& r) {
      return r.first <= d.source && d.source < r.second;
    });
    if (excuses >= d.copies - 1)
      ++uncommitted_copies_;
    else
      violations.push_back({invariant::no_duplicates,
                            "source " + at(o_.topic, d.partition, d.source) + " is on target " +
                                std::to_string(d.copies) + " times (copy at " +
                                std::to_string(d.target) + "; " + std::to_string(excuses) +
                                " uncommitted transaction(s) cover it)"});
  }
  duplicates_.clear();
  return violations;
}

void target_audit::uncommitted_range(int32_t partition, int64_t first, int64_t end) {
  if (partition >= 0 && partition < o_.partitions)
    uncommitted_[partition].emplace_back(first, end);
}

int64_t target_audit::replicated(int32_t partition) const {
  return replicated_[partition];
}

std::optional<int64_t> target_audit::ground_truth(int32_t partition, int64_t s) const {
  return copy_log_[partition].resume_at(s, source_end(partition));
}

size_t target_audit::target_records() const {
  size_t n = 0;
  for (const auto& t : target_)
    n += t.size();
  return n;
}

} // namespace k2k::reliability
