#include "core/write_leases.hpp"

namespace k2k::core {

void write_leases::grant(int32_t mapping_partition, clock::time_point now) {
  granted_.emplace(mapping_partition, now);
}

void write_leases::revoke(int32_t mapping_partition) {
  granted_.erase(mapping_partition);
}

bool write_leases::writable(int32_t mapping_partition, clock::time_point now) const {
  auto it = granted_.find(mapping_partition);
  return it != granted_.end() && now - it->second >= grace_;
}

} // namespace k2k::core
