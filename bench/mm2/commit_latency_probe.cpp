#include "bench/mm2/commit_latency_probe.hpp"

#include "bench/mm2/workload.hpp"
#include "kafka/group_offsets_helper.hpp"
#include "support/many_groups.hpp"

#include <map>
#include <thread>

namespace k2k::bench::mm2 {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {

// The group's commits on target now: -1 where it has none or the read failed.
std::map<kafka::topic_partition, int64_t> read_target(kafka::group_offsets_helper& target,
                                                      const std::string& group) {
  std::map<kafka::topic_partition, int64_t> out;
  for (const auto& tp : small_partitions())
    out[tp] = -1;
  if (auto committed = target.committed(group, small_partitions(), clock_type::now() + 10s))
    for (const auto& [tp, c] : *committed)
      out[tp] = c.offset;
  return out;
}

bool all_committed(const std::map<kafka::topic_partition, int64_t>& commits) {
  for (const auto& [tp, offset] : commits)
    if (offset < 0)
      return false;
  return true;
}

// Polls the target every few milliseconds, as a user watching it would, until done(commits).
template <class Done>
bool poll_target(kafka::group_offsets_helper& target, const std::string& group,
                 clock_type::time_point deadline, Done done) {
  while (clock_type::now() < deadline) {
    if (done(read_target(target, group)))
      return true;
    std::this_thread::sleep_for(5ms);
  }
  return false;
}

} // namespace

commit_latency probe_commit_latency(const std::string& source, const std::string& target,
                                    const std::string& group, int moves, int64_t burst,
                                    std::chrono::seconds step_timeout) {
  auto helper_path = kafka::find_group_offsets_helper().value_or_throw();
  kafka::group_offsets_helper on_source{{{"bootstrap.servers", source}}, helper_path};
  kafka::group_offsets_helper on_target{{{"bootstrap.servers", target}}, helper_path};
  commit_latency out;
  std::map<kafka::topic_partition, int64_t> before;
  if (!poll_target(on_target, group, clock_type::now() + step_timeout, [&](const auto& c) {
        before = c;
        return all_committed(c);
      })) {
    out.timeouts = moves * small_topic().partitions;
    return out;
  }
  // Started and connected before any clock runs.
  on_source.committed(group, small_partitions(), clock_type::now() + 10s);
  for (int move = 0; move < moves; ++move) {
    auto ends = append_records(source, burst);
    std::map<kafka::topic_partition, kafka::committed_offset> commits;
    for (const auto& tp : small_partitions())
      commits[tp] = {ends.at(size_t(tp.second)), ""};
    auto committed_at = clock_type::now();
    test::commit_until_taken(on_source, group, commits);
    std::map<kafka::topic_partition, double> arrived;
    poll_target(on_target, group, committed_at + step_timeout, [&](const auto& now) {
      auto at = std::chrono::duration<double, std::milli>(clock_type::now() - committed_at).count();
      for (const auto& [tp, offset] : now)
        if (offset != before.at(tp) && !arrived.count(tp))
          arrived[tp] = at;
      return arrived.size() == now.size();
    });
    for (const auto& [tp, ms] : arrived)
      out.ms.push_back(ms);
    out.timeouts += int(small_partitions().size() - arrived.size());
    before = read_target(on_target, group);
  }
  return out;
}

std::optional<double> first_translation(const std::string& source, const std::string& target,
                                        const std::string& group, std::chrono::seconds timeout) {
  auto helper_path = kafka::find_group_offsets_helper().value_or_throw();
  kafka::group_offsets_helper on_source{{{"bootstrap.servers", source}}, helper_path};
  kafka::group_offsets_helper on_target{{{"bootstrap.servers", target}}, helper_path};
  read_target(on_target, group); // the helper started and connected before the clock does
  auto commits = positions(source, [](int64_t end) { return end / 2; });
  auto committed_at = clock_type::now();
  test::commit_until_taken(on_source, group, commits);
  if (!poll_target(on_target, group, committed_at + timeout, all_committed))
    return std::nullopt;
  return std::chrono::duration<double>(clock_type::now() - committed_at).count();
}

} // namespace k2k::bench::mm2
