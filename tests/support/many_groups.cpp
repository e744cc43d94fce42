#include "support/many_groups.hpp"

#include "kafka/group_offsets_helper.hpp"
#include "support/replication_fixture.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <stdexcept>

namespace k2k::test {

using namespace std::chrono_literals;

std::string group_name(const std::string& prefix, int g) {
  return prefix + "-" + std::to_string(g);
}

int64_t spread_commit(int g, int p, int64_t end) {
  return (g * 7 + p * 13) % (end + 1);
}

void commit_until_taken(kafka::group_offsets_helper& helper, const std::string& group,
                        const std::map<kafka::topic_partition, kafka::committed_offset>& commits) {
  auto until = std::chrono::steady_clock::now() + 60s;
  for (;;) {
    auto written =
        helper.commit(group, commits, std::chrono::steady_clock::now() + 30s).value_or_throw();
    bool all = std::all_of(written.begin(), written.end(), [](const auto& w) {
      return w.second.error == RD_KAFKA_RESP_ERR_NO_ERROR;
    });
    if (all && written.size() == commits.size())
      return;
    if (std::chrono::steady_clock::now() > until)
      throw std::runtime_error(group + ": commits refused for 60 s");
  }
}

void commit_spread(const std::string& bootstrap, const std::string& prefix, int groups,
                   const std::string& topic, int partitions, int64_t end) {
  kafka::group_offsets_helper helper{{{"bootstrap.servers", bootstrap}},
                                     kafka::find_group_offsets_helper().value_or_throw()};
  for (int g = 0; g < groups; ++g) {
    std::map<kafka::topic_partition, kafka::committed_offset> commits;
    for (int p = 0; p < partitions; ++p)
      commits[{topic, p}] = {spread_commit(g, p, end), ""};
    commit_until_taken(helper, group_name(prefix, g), commits);
  }
}

std::vector<std::string> inexact_group_partitions(const std::string& target_bootstrap,
                                                  const std::string& prefix, int groups,
                                                  const std::string& topic, int partitions,
                                                  int64_t end) {
  std::map<int32_t, core::copy_log> copies;
  std::vector<kafka::topic_partition> all;
  for (int p = 0; p < partitions; ++p) {
    copies.emplace(p, copies_on_target(target_bootstrap, topic, p));
    all.emplace_back(topic, p);
  }
  kafka::group_offsets_helper helper{{{"bootstrap.servers", target_bootstrap}},
                                     kafka::find_group_offsets_helper().value_or_throw()};
  std::vector<std::string> out;
  for (int g = 0; g < groups; ++g) {
    auto group = group_name(prefix, g);
    auto on_target = helper.committed(group, all, std::chrono::steady_clock::now() + 30s);
    if (!on_target) {
      out.push_back(group + ": " + on_target.error().message);
      continue;
    }
    for (int p = 0; p < partitions; ++p) {
      auto s = spread_commit(g, p, end);
      auto truth = copies.at(p).resume_at(s, end);
      auto it = on_target->find({topic, p});
      if (!truth || it == on_target->end() || it->second.offset != *truth)
        out.push_back(group + " " + topic + "[" + std::to_string(p) + "] source " +
                      std::to_string(s) + ": on target " +
                      (it == on_target->end() ? "nothing" : std::to_string(it->second.offset)) +
                      ", ground truth " + (truth ? std::to_string(*truth) : "unknown"));
    }
  }
  return out;
}

size_t threads_of_this_process() {
  size_t n = 0;
  for ([[maybe_unused]] const auto& task : std::filesystem::directory_iterator("/proc/self/task"))
    ++n;
  return n;
}

} // namespace k2k::test
