// How soon a tool carries a group's source commit to target, measured as a user sees it: the
// group is committed on source, and its commits on target are read every few milliseconds
// until they change.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace k2k::bench::mm2 {

struct commit_latency {
  std::vector<double> ms; // one per partition and move
  int timeouts = 0;       // partitions not changed on target within the step timeout
};

// A consumer at the head of live traffic: waits until `group` (committed on source before the
// tool started) has a commit on target for every partition of sbs.small, then `moves` times
// appends `burst` records to every partition, commits the group at the new ends and times
// every partition until its target commit changes (the tool replicates the burst and
// translates the commit in that time, as it would for a consumer keeping up).
commit_latency probe_commit_latency(const std::string& source, const std::string& target,
                                    const std::string& group, int moves, int64_t burst,
                                    std::chrono::seconds step_timeout);

// Commits `group`, new to both clusters, on source while the tool runs, and returns the
// seconds until it has a commit on target for every partition; nullopt after `timeout`.
std::optional<double> first_translation(const std::string& source, const std::string& target,
                                        const std::string& group, std::chrono::seconds timeout);

} // namespace k2k::bench::mm2
