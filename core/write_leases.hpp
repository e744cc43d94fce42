// Which mapping partitions a worker may write target commits for, and from when.
//
// The guard reads a group's commit, compares, then writes: two writers can interleave, and
// a write can be delayed. Two rules keep a worker that lost a mapping partition from
// overwriting its successor's newer commit (docs/offset-mapping.md, "Hand-over"):
// - a write is abandoned, its client destroyed, when it is not answered within the commit
//   timeout of its check, so it cannot land after that destruction (the committer);
// - a worker that takes a mapping partition writes for it only `grace` after it got it, a
//   grace longer than that (these leases).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>

namespace k2k::core {

class write_leases {
public:
  using clock = std::chrono::steady_clock;

  explicit write_leases(clock::duration grace) : grace_(grace) {}

  // The worker got the mapping partition (a second grant without a revoke keeps the first).
  void grant(int32_t mapping_partition, clock::time_point now);
  // The worker released it, or lost it with its group session.
  void revoke(int32_t mapping_partition);
  // Held, and held for the grace at least.
  bool writable(int32_t mapping_partition, clock::time_point now) const;

  // The grace for a commit timeout T: a write is abandoned T after its check, and destroying
  // its client waits at most T more for a request already queued to a broker (its request
  // timeout), plus librdkafka's once-a-second scan for expired requests.
  static clock::duration grace_for(std::chrono::milliseconds commit_timeout) {
    return 2 * commit_timeout + std::chrono::seconds(1);
  }

private:
  clock::duration grace_;
  std::map<int32_t, clock::time_point> granted_;
};

} // namespace k2k::core
