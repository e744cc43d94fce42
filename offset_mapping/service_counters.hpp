// The offset-mapping service's counters: lock-free, updated by actors and the ingest
// thread, read by status/metrics. Each translation cycle of a group and each burst of mapping
// records wakes the waiters.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <set>

namespace k2k::offset_mapping {

struct service_counters {
  std::atomic<uint64_t> mapping_records{0};   // mapping records applied
  std::atomic<uint64_t> poison_records{0};    // undecodable mapping records skipped
  std::atomic<uint64_t> translated{0};        // committable translations
  std::atomic<uint64_t> pending{0};           // source commits beyond replication (retried)
  std::atomic<uint64_t> commits_written{0};   // group-partition offsets written on target
  std::atomic<uint64_t> commits_unchanged{0}; // already at the translated offset
  std::atomic<uint64_t> checks_skipped{0};    // cycles whose translations were settled (group.hpp)
  std::atomic<uint64_t> skipped_stale{0};     // guard: target holds a newer version
  std::atomic<uint64_t> skipped_foreign{0};   // guard: target commit is not k2k's
  std::atomic<uint64_t> active_group{0};      // target group had live members
  std::atomic<uint64_t> multiple_target_offsets{0}; // pipelines disagree on a translation
  std::atomic<uint64_t> errors{0};                  // failed Kafka calls (retried next cycle)
  std::atomic<uint64_t> cycles{0};                  // completed group translation cycles
  // mapping ingest
  std::atomic<int64_t> mapping_partitions{0}; // assigned to this worker
  std::atomic<int64_t> mapping_loading{0};    // assigned, not yet read up to their end
  std::atomic<int64_t> mapping_lag{0};        // records behind the mapping partitions' ends
  std::atomic<bool> stopped{false};
  // source commits read from __consumer_offsets (groups.sourceCommits: consumer-offsets)
  std::atomic<int64_t> groups{0};                         // groups this worker translates
  std::atomic<int64_t> source_commit_groups{0};           // groups with committed offsets
  std::atomic<uint64_t> source_commit_records_skipped{0}; // undecodable or unknown versions
  // messages waiting in the committers' mailboxes (each group's commits queue in its lane's)
  std::atomic<int64_t> committer_mailbox{0};
  // the fullest partition-mapping actor mailbox sampled since the last read
  std::atomic<int64_t> mapping_mailbox_max{0};

  void sample_mapping_mailbox(int64_t size) {
    auto seen = mapping_mailbox_max.load();
    while (size > seen && !mapping_mailbox_max.compare_exchange_weak(seen, size)) {
    }
  }

  void cycle_done() {
    bool wake;
    {
      std::lock_guard<std::mutex> guard{mutex_};
      ++cycles;
      wake =
          condition_waiters_ > 0 || (!cycle_targets_.empty() && cycles >= *cycle_targets_.begin());
    }
    if (wake)
      changed_.notify_all();
  }

  // Wakes wait_for callers to check their condition again (the mapping ingest calls it after
  // each burst of records); a lock, and a wake-up only when someone waits.
  void notify_progress() {
    bool wake;
    {
      std::lock_guard<std::mutex> guard{mutex_};
      wake = condition_waiters_ > 0;
    }
    if (wake)
      changed_.notify_all();
  }

  // Blocks until `condition` holds (checked after every cycle and every burst of mapping
  // records) or the timeout passes.
  bool wait_for(const std::function<bool(const service_counters&)>& condition,
                std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock{mutex_};
    ++condition_waiters_;
    auto held = changed_.wait_for(lock, timeout, [&] { return condition(*this); });
    --condition_waiters_;
    return held;
  }

  // Blocks until `n` cycles have completed or the timeout passes. Woken once, not after every
  // cycle: a waiter woken by each of a thousand groups' cycles costs the scheduler threads a
  // core's worth of wake-ups (bench/translation_cycle_bench).
  bool wait_for_cycles(uint64_t n, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock{mutex_};
    auto target = cycle_targets_.insert(n);
    auto held = changed_.wait_for(lock, timeout, [&] { return cycles >= n; });
    cycle_targets_.erase(target);
    return held;
  }

private:
  std::mutex mutex_;
  std::condition_variable changed_;
  size_t condition_waiters_ = 0;          // wait_for callers: woken after every cycle
  std::multiset<uint64_t> cycle_targets_; // wait_for_cycles callers: woken at their count
};

} // namespace k2k::offset_mapping
