// The worker's write leases (core/write_leases.hpp) shared between the mapping ingest, which
// grants and revokes them as mapping partitions come and go, and the committer lanes, which
// write only for leased partitions.
#pragma once

#include "core/write_leases.hpp"

#include <mutex>

namespace k2k::offset_mapping {

class write_fence {
public:
  using clock = core::write_leases::clock;

  explicit write_fence(clock::duration grace) : leases_(grace) {}

  void grant(int32_t mapping_partition) {
    std::lock_guard<std::mutex> lock{mutex_};
    leases_.grant(mapping_partition, clock::now());
  }
  void revoke(int32_t mapping_partition) {
    std::lock_guard<std::mutex> lock{mutex_};
    leases_.revoke(mapping_partition);
  }
  bool writable(int32_t mapping_partition, clock::time_point now) const {
    std::lock_guard<std::mutex> lock{mutex_};
    return leases_.writable(mapping_partition, now);
  }

private:
  mutable std::mutex mutex_;
  core::write_leases leases_;
};

} // namespace k2k::offset_mapping
