#include "bench/mm2/precision_audit.hpp"

#include "bench/mm2/workload.hpp"
#include "kafka/group_offsets_helper.hpp"
#include "kafka/partition_reader.hpp"

#include <algorithm>
#include <stdexcept>

namespace k2k::bench::mm2 {

using namespace std::chrono_literals;

namespace {

int64_t copies_in(const std::vector<int64_t>& targets, int64_t from, int64_t until) {
  return std::lower_bound(targets.begin(), targets.end(), until) -
         std::lower_bound(targets.begin(), targets.end(), from);
}

} // namespace

precision_audit::precision_audit(const std::string& source, const std::string& target)
    : source_(source), target_(target) {
  auto source_reader = kafka::make_partition_reader(
      {{"bootstrap.servers", source}, {"group.id", "sbs-audit"}, {"enable.partition.eof", "true"}});
  auto target_reader = kafka::make_partition_reader(
      {{"bootstrap.servers", target}, {"group.id", "sbs-audit"}, {"enable.partition.eof", "true"}});
  for (const auto& t : topics())
    for (int32_t p = 0; p < t.partitions; ++p) {
      std::vector<int64_t> source_offset; // by seq (appended records' seqs are sparse)
      auto source_end = read_to_end(source_reader.get(), t.name, p, [&](int64_t o, auto v) {
        auto id = parse_value(v);
        if (!id || id->tag != t.tag || id->partition != p || id->seq < 0)
          return;
        if (size_t(id->seq) >= source_offset.size())
          source_offset.resize(size_t(id->seq) + 1, -1);
        source_offset[size_t(id->seq)] = o;
      });
      partition_copies copies;
      copies.source_end = source_end;
      std::vector<int> seen(source_offset.size(), 0);
      read_to_end(target_reader.get(), t.name, p, [&](int64_t o, auto v) {
        auto id = parse_value(v);
        if (!id)
          return; // the target's prior records
        if (id->tag == aborted_tag) {
          ++copies_.aborted_visible;
        } else if (id->tag == t.tag && id->partition == p && id->seq >= 0 &&
                   size_t(id->seq) < source_offset.size() && source_offset[id->seq] >= 0) {
          ++copies_.copies;
          if (seen[id->seq]++)
            ++copies_.duplicates;
          copies.log.add(source_offset[id->seq], o);
          copies.targets.push_back(o);
        }
      });
      for (size_t seq = 0; seq < seen.size(); ++seq)
        copies_.missing += source_offset[seq] >= 0 && seen[seq] == 0;
      if (&t == &small_topic())
        small_.emplace(p, std::move(copies));
    }
}

std::vector<group_precision> precision_audit::judge(const std::vector<std::string>& groups) const {
  auto partitions = small_partitions();
  auto helper_path = kafka::find_group_offsets_helper().value_or_throw();
  kafka::group_offsets_helper on_source{{{"bootstrap.servers", source_}}, helper_path};
  kafka::group_offsets_helper on_target{{{"bootstrap.servers", target_}}, helper_path};
  std::vector<group_precision> out;
  for (const auto& group : groups) {
    auto deadline = std::chrono::steady_clock::now() + 30s;
    auto source_commits = on_source.committed(group, partitions, deadline).value_or_throw();
    auto target_commits = on_target.committed(group, partitions, deadline).value_or_throw();
    group_precision g;
    g.group = group;
    for (const auto& [tp, committed] : source_commits) {
      if (committed.offset < 0)
        continue;
      ++g.partitions;
      const auto& copies = small_.at(tp.second);
      auto truth = copies.log.resume_at(committed.offset, copies.source_end);
      // resume_at cannot tell a control marker at the source's end from a record not copied
      // yet; with every source record on target (read above), right after the copy below is it.
      if (!truth && copies_.missing == 0)
        truth = copies.log.after_newest_below(committed.offset);
      auto on_target = target_commits.find(tp);
      if (!truth)
        throw std::runtime_error(group + ": no ground truth for " + tp.first + "[" +
                                 std::to_string(tp.second) + "] at " +
                                 std::to_string(committed.offset) + ": " +
                                 std::to_string(copies_.missing) + " source records not on target");
      if (on_target == target_commits.end() || on_target->second.offset < 0) {
        ++g.untranslated;
        continue;
      }
      auto at = on_target->second.offset;
      if (at == *truth)
        ++g.exact;
      else if (at < *truth)
        g.reread += copies_in(copies.targets, at, *truth);
      else
        g.skipped += copies_in(copies.targets, *truth, at);
    }
    out.push_back(g);
  }
  return out;
}

} // namespace k2k::bench::mm2
