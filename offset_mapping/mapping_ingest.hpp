// Reads the mapping topic as a target-side consumer group (so N workers split the mapping
// partitions), decodes each record and routes it to its source partition's mapping actor.
// Kafka I/O stays on this thread; actors only see messages.
#pragma once

#include "config/config.hpp"
#include "offset_mapping/actors.hpp"
#include "offset_mapping/service_counters.hpp"
#include "offset_mapping/write_fence.hpp"

#include <caf/fwd.hpp>

#include <atomic>
#include <memory>
#include <thread>

namespace k2k::offset_mapping {

class mapping_ingest {
public:
  mapping_ingest(caf::actor_system& system, config::pipeline_config cfg,
                 mapping_registry_actor registry, std::shared_ptr<service_counters> counters,
                 std::shared_ptr<write_fence> fence);
  ~mapping_ingest();
  mapping_ingest(const mapping_ingest&) = delete;
  mapping_ingest& operator=(const mapping_ingest&) = delete;

  void stop(); // leaves the group (its partitions go to the other workers) and joins

private:
  struct impl;
  std::unique_ptr<impl> impl_;
  std::thread thread_;
};

} // namespace k2k::offset_mapping
