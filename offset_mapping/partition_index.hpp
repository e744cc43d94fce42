#pragma once

#include "config/config.hpp"
#include "core/offset_index.hpp"
#include "offset_mapping/actors.hpp"
#include "offset_mapping/service_counters.hpp"

#include <caf/actor_addr.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <string>

namespace k2k::offset_mapping {

// What one pipeline (one replicator config) has replicated of the source partition.
struct pipeline_index {
  core::offset_index index;
  std::string target_topic;
  int32_t target_partition = 0;
  int64_t last_update = 0; // mapping-topic offset of its newest mapping
};

struct partition_index_state {
  static inline const char* name = "partition_index";
  // By pipeline name ("" for version 1 mapping records). Normally one; two pipelines copying
  // one source partition is what errorHandling.onMultipleTargetCommittedOffsets is about.
  std::map<std::string, pipeline_index> pipelines;
  int32_t mapping_partition = 0;
  int64_t mapping_position = 0; // next mapping-topic offset after the last update applied
  bool conflict_logged = false;
  // Groups whose translation of a source offset was pending, by that offset: woken once a
  // pipeline covers it. Weak: a group that stopped is not kept alive by waiting.
  std::multimap<int64_t, caf::actor_addr> waiting;
};

// Retention of the index: at most max_runs runs, none older than max_age (0: no limit).
struct index_retention {
  size_t max_runs = 1'000'000;
  std::chrono::milliseconds max_age{0};
};

partition_index_actor::behavior_type
partition_index(partition_index_actor::stateful_pointer<partition_index_state> self,
                index_retention retention, std::shared_ptr<service_counters> counters,
                config::on_error on_multiple_pipelines);

} // namespace k2k::offset_mapping
