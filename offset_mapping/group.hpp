#pragma once

#include "offset_mapping/actors.hpp"
#include "offset_mapping/service_counters.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <utility>

namespace k2k::offset_mapping {

// One translation cycle in flight: what the partition actors answered so far.
struct group_cycle {
  std::vector<source_commit> commits;
  std::vector<commit_entry> entries; // committable translations, for the committer
  size_t outstanding = 0;            // translations not answered yet
  uint64_t pending = 0;              // beyond replication: retried next cycle
};

struct group_state {
  static inline const char* name = "group";
  std::string group_id;
  std::chrono::milliseconds poll_interval{0};
  mapping_registry_actor registry;
  source_offsets_actor source;
  committer_actor committer;
  std::shared_ptr<service_counters> counters;
  bool cycle_running = false; // a tick never starts a cycle while one is in flight
  uint64_t tick = 0;          // the number of the tick that counts; earlier ones are ignored
  bool retry_soon = false;    // entries waited for their mapping partition's lease
  // Fed by the source commit feed (groups.sourceCommits) instead of fetched each cycle.
  bool pushed = false;
  bool again = false; // a change arrived during a cycle: another cycle right after it
  std::map<std::pair<std::string, int32_t>, int64_t> source_commits;
  // What the registry said this worker owns (changed only at the start of a cycle).
  uint64_t owned_generation = 0;
  std::map<std::pair<std::string, int32_t>, partition_index_actor> mapping_of;
  std::vector<source_commit> wanted;
  // What the committer last found on target or wrote, every entry of it, and until when that
  // is trusted without asking again (settled_recheck).
  std::vector<commit_entry> settled;
  std::chrono::steady_clock::time_point settled_until;
  std::chrono::milliseconds settled_spread{0};
};

// A cycle whose translations are what the committer last confirmed for this group does not
// ask it again for this long: each ask is two round trips on target (read, then write), and
// thousands of idle groups kept every lane busy. After it the target is read again, so a
// commit changed there by something else is seen. Each group adds a spread of its own (up to
// half as long again, from its name) so that groups settled together do not recheck
// together: 10,000 groups rechecking at once held pushed commits up to 0.6 s.
inline constexpr std::chrono::seconds settled_recheck{30};

// `source` may be a null handle when the source commit feed pushes the group's commits.
group_actor::behavior_type group(group_actor::stateful_pointer<group_state> self,
                                 std::string group_id, std::chrono::milliseconds poll_interval,
                                 mapping_registry_actor registry, source_offsets_actor source,
                                 committer_actor committer,
                                 std::shared_ptr<service_counters> counters);

} // namespace k2k::offset_mapping
