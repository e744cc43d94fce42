// Many consumer groups at once, on mock or real clusters: their source commits at spread
// positions, and which group-partitions on target are not where a consumer must resume.
#pragma once

#include "kafka/group_offsets_helper.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace k2k::test {

// "<prefix>-<g>".
std::string group_name(const std::string& prefix, int g);

// Where group g's commit of partition p is: spread over 0..end, both ends included.
int64_t spread_commit(int g, int p, int64_t end);

// Commits `commits` for `group`, again until every partition took it (a fresh cluster answers
// the first commits per partition with "coordinator loading" while it creates
// __consumer_offsets); throws after 60 s of refusals or on any other error.
void commit_until_taken(kafka::group_offsets_helper& helper, const std::string& group,
                        const std::map<kafka::topic_partition, kafka::committed_offset>& commits);

// Commits spread_commit(g, p, end) for groups 0..groups-1 on topic's partitions, all through
// one group-offsets helper (thousands of groups in seconds); throws on error.
void commit_spread(const std::string& bootstrap, const std::string& prefix, int groups,
                   const std::string& topic, int partitions, int64_t end);

// The group-partitions whose commit on target is not the ground truth of their spread
// source commit (from the target records' headers), described; empty when all are exact.
std::vector<std::string> inexact_group_partitions(const std::string& target_bootstrap,
                                                  const std::string& prefix, int groups,
                                                  const std::string& topic, int partitions,
                                                  int64_t end);

// Threads of this process now.
size_t threads_of_this_process();

} // namespace k2k::test
