#pragma once

#include "config/config.hpp"
#include "kafka/group_offsets_io.hpp"
#include "offset_mapping/actors.hpp"
#include "offset_mapping/service_counters.hpp"
#include "offset_mapping/write_fence.hpp"

#include <memory>
#include <set>
#include <string>

namespace k2k::offset_mapping {

struct committer_state {
  static inline const char* name = "committer";
  std::unique_ptr<kafka::group_offsets_io> groups; // groups.offsetClients
  std::set<std::string> noted; // skips already logged, so a steady state logs once
  int64_t mailbox_sample = 0;  // this lane's share of counters->committer_mailbox
};

// Spawn detached: it blocks on the target cluster. The only writer of its groups' offsets on
// target (a worker has groups.ioParallelism committers, each group always on the same one):
// reads the current commits, applies the guard, writes in one request. Only entries whose
// mapping partition `fence` leases are written, and a write not answered within
// groups.commitTimeout of the read is abandoned with its client or helper process
// (core/write_leases.hpp). `helper`: the group-offsets helper's path (make_offset_clients).
committer_actor::behavior_type committer(committer_actor::stateful_pointer<committer_state> self,
                                         config::pipeline_config cfg,
                                         std::shared_ptr<service_counters> counters,
                                         std::shared_ptr<write_fence> fence, std::string helper);

} // namespace k2k::offset_mapping
