#include "offset_mapping/group.hpp"

#include "offset_mapping/caf_logger_off.hpp"

#include "core/translation.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <functional>

namespace k2k::offset_mapping {

using namespace std::chrono_literals;

// A cycle: owned partitions (registry) -> committed source offsets (source) -> one
// translation per partition (partition actors) -> one commit batch (committer). The
// handlers capture only the actor and its cycle, and the counters shared with other groups
// are touched once per cycle: copies of shared handles and per-translation counter updates
// were cache lines every scheduler thread fought over (bench/translation_cycle_bench).
namespace {

using group_pointer = group_actor::stateful_pointer<group_state>;
using cycle_ptr = std::shared_ptr<group_cycle>;

void start_cycle(group_pointer self);

void finish(group_pointer self, const group_cycle& cycle) {
  auto& st = self->state;
  st.counters->pending += cycle.pending;
  st.counters->translated += cycle.entries.size();
  st.cycle_running = false;
  st.counters->cycle_done();
  if (st.again) { // commits changed meanwhile
    st.again = false;
    return start_cycle(self);
  }
  // Entries held back by a lease are retried soon, not a poll interval later: with pushed
  // commits that interval is only the fallback for replication catching up.
  auto delay = st.retry_soon ? std::min<std::chrono::milliseconds>(st.poll_interval, 500ms)
                             : st.poll_interval;
  st.retry_soon = false;
  self->delayed_send(self, delay, tick_atom::value, ++st.tick);
}

auto on_error(group_pointer self, cycle_ptr cycle) {
  return [self, cycle](const caf::error& e) {
    ++self->state.counters->errors;
    spdlog::warn("offset-mapping: group {}: {}", self->state.group_id, self->system().render(e));
    finish(self, *cycle);
  };
}

void commit(group_pointer self, cycle_ptr cycle) {
  if (cycle->entries.empty())
    return finish(self, *cycle);
  auto& st = self->state;
  // Translations arrive in any order; sorted, a cycle compares with the settled one.
  std::sort(cycle->entries.begin(), cycle->entries.end(),
            [](const auto& a, const auto& b) { return a.key() < b.key(); });
  auto asked = std::chrono::steady_clock::now();
  if (cycle->entries == st.settled && asked < st.settled_until) {
    ++st.counters->checks_skipped;
    return finish(self, *cycle);
  }
  st.settled.clear();
  self->request(st.committer, 60s, commit_atom::value, st.group_id, cycle->entries)
      .then(
          [self, cycle, asked](const commit_report& report) {
            auto& st = self->state;
            st.retry_soon = st.retry_soon || report.not_leased > 0;
            // Settled only when every entry is on target now: nothing held back, refused,
            // failed or left to a newer version or another owner.
            if (report.written + report.unchanged == static_cast<int32_t>(cycle->entries.size())) {
              st.settled = cycle->entries;
              st.settled_until = asked + settled_recheck + st.settled_spread;
            }
            finish(self, *cycle);
          },
          on_error(self, cycle));
}

// Beyond replication: the partition actor wakes the group once its mappings cover the commit.
void await(group_pointer self, const source_commit& c) {
  const auto& mapping_of = self->state.mapping_of;
  if (auto it = mapping_of.find({c.topic, c.partition}); it != mapping_of.end())
    self->send(it->second, await_atom::value, c.offset);
}

void translate(group_pointer self, cycle_ptr cycle) {
  cycle->outstanding = cycle->commits.size();
  if (cycle->commits.empty())
    return finish(self, *cycle);
  auto answered = [self, cycle] {
    if (--cycle->outstanding == 0)
      commit(self, cycle);
  };
  for (size_t i = 0; i < cycle->commits.size(); ++i) {
    const auto& c = cycle->commits[i];
    // No timeout: a partition actor answers at once, and one that quits (revoked) answers
    // its queued requests with an error. A timeout per translation serialised every cycle
    // on the actor clock's lock.
    self->request(self->state.mapping_of.at({c.topic, c.partition}), caf::infinite,
                  translate_atom::value, c.offset)
        .then(
            [self, cycle, i, answered](const translation_reply& r) {
              auto outcome = static_cast<core::translation_outcome>(r.outcome);
              if (!r.conflict.empty()) {
                // counted and logged by the partition actor
              } else if (!core::committable(outcome)) {
                ++cycle->pending;
                if (outcome == core::translation_outcome::pending)
                  await(self, cycle->commits[i]);
              } else {
                cycle->entries.push_back({r.target_topic, r.target_partition, r.target_offset,
                                          cycle->commits[i].offset, r.mapping_partition,
                                          r.mapping_position});
              }
              answered();
            },
            // The partition moved to another worker meanwhile: skip it.
            [answered](const caf::error&) { answered(); });
  }
}

void start_cycle(group_pointer self) {
  auto cycle = std::make_shared<group_cycle>();
  auto& st = self->state;
  st.cycle_running = true;
  // A group waits for no poll interval while this worker's mapping partitions are still being
  // assigned or read: the cycle is tried again soon. Read before asking the registry: the
  // ingest tells the registry a partition is ready before it counts it as read.
  bool settling = (!st.pushed || !st.source_commits.empty()) &&
                  (st.counters->mapping_partitions == 0 || st.counters->mapping_loading > 0);
  self->request(st.registry, caf::infinite, owned_atom::value, st.owned_generation)
      .then(
          [self, cycle, settling](uint64_t generation, std::vector<owned_partition>& owned) {
            auto& st = self->state;
            if (generation != st.owned_generation) {
              st.owned_generation = generation;
              st.settled.clear(); // partitions moved: another owner may have written meanwhile
              st.mapping_of.clear();
              st.wanted.clear();
              for (auto& o : owned) {
                st.wanted.push_back({o.topic, o.partition, -1});
                st.mapping_of[{o.topic, o.partition}] = std::move(o.mapping);
              }
            }
            if (settling)
              st.retry_soon = true;
            if (st.wanted.empty())
              return finish(self, *cycle);
            if (st.pushed) {
              for (const auto& w : st.wanted)
                if (auto c = st.source_commits.find({w.topic, w.partition});
                    c != st.source_commits.end())
                  cycle->commits.push_back({w.topic, w.partition, c->second});
              return translate(self, cycle);
            }
            self->request(st.source, 30s, fetch_atom::value, st.group_id, st.wanted)
                .then(
                    [self, cycle](std::vector<source_commit>& commits) {
                      cycle->commits = std::move(commits);
                      translate(self, cycle);
                    },
                    on_error(self, cycle));
          },
          on_error(self, cycle));
}

// A cycle now, or right after the one in flight.
void cycle_now(group_pointer self) {
  if (self->state.cycle_running) {
    self->state.again = true;
    return;
  }
  start_cycle(self);
}

} // namespace

group_actor::behavior_type group(group_pointer self, std::string group_id,
                                 std::chrono::milliseconds poll_interval,
                                 mapping_registry_actor registry, source_offsets_actor source,
                                 committer_actor committer,
                                 std::shared_ptr<service_counters> counters) {
  auto& st = self->state;
  st.group_id = std::move(group_id);
  st.poll_interval = poll_interval;
  st.registry = std::move(registry);
  st.source = std::move(source);
  st.committer = std::move(committer);
  st.counters = std::move(counters);
  st.pushed = !st.source;
  st.settled_spread = std::chrono::milliseconds{
      std::hash<std::string>{}(st.group_id) %
      static_cast<size_t>(std::chrono::milliseconds{settled_recheck}.count() / 2)};
  self->send(self, tick_atom::value, st.tick);
  return {
      [self](tick_atom, uint64_t number) {
        leave_caf_logger();
        auto& st = self->state;
        if (number != st.tick || st.cycle_running)
          return; // superseded by a later one, or a cycle runs (its end schedules the next)
        start_cycle(self);
      },
      [self](commits_atom, const std::vector<source_commit>& changed) {
        auto& st = self->state;
        for (const auto& c : changed)
          if (c.offset < 0)
            st.source_commits.erase({c.topic, c.partition});
          else
            st.source_commits[{c.topic, c.partition}] = c.offset;
        cycle_now(self);
      },
      [self](wake_atom) { cycle_now(self); },
  };
}

} // namespace k2k::offset_mapping
