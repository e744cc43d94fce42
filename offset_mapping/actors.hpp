// Every typed actor interface of k2k, in one place, so the wiring reads at a glance:
//
//   mapping ingest (I/O thread) --apply--> partition_index (one per source partition)
//                               --register/ready/revoke--> mapping_registry
//   source commit feed (I/O thread, groups.sourceCommits) --commits--> group
//   group (one per consumer group) --owned--> mapping_registry
//                                  --fetch--> source_offsets (I/O, detached; when polling)
//                                  --translate/await--> partition_index --wake--> group
//                                  --commit--> committer (I/O, detached; the only writer)
#pragma once

#include "offset_mapping/messages.hpp"

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

namespace k2k::offset_mapping {

// Owns one source partition's OffsetIndex; answers translations. `await`: the sender's
// translation of that source offset was pending (beyond replication); it gets `wake` once
// mappings cover the offset, so a consumer at the head is translated when its records are
// replicated, not at the next poll.
using partition_index_actor =
    caf::typed_actor<caf::reacts_to<apply_atom, mapping_update>,
                     caf::replies_to<translate_atom, int64_t>::with<translation_reply>,
                     caf::reacts_to<await_atom, int64_t>>;

// A source partition this worker owns (its mapping partition is assigned and fully read).
struct owned_partition {
  std::string topic;
  int32_t partition = 0;
  partition_index_actor mapping;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, owned_partition& x) {
  return f(caf::meta::type_name("owned_partition"), x.topic, x.partition, x.mapping);
}

// Which source partitions this worker may translate right now. `owned` names the generation
// the asker knows; the answer is the current generation and, only when it differs, the list
// (an unchanged list is not sent again: copying its actor handles every cycle was a cache
// line per partition that every group fought over).
using mapping_registry_actor = caf::typed_actor<
    caf::reacts_to<register_atom, std::string, int32_t, int32_t, partition_index_actor>,
    caf::reacts_to<ready_atom, int32_t>, caf::reacts_to<revoke_atom, int32_t>,
    caf::replies_to<owned_atom, uint64_t>::with<uint64_t, std::vector<owned_partition>>>;

// Reads committed offsets of a group on the source cluster (blocking I/O: detached).
using source_offsets_actor =
    caf::typed_actor<caf::replies_to<fetch_atom, std::string,
                                     std::vector<source_commit>>::with<std::vector<source_commit>>>;

// The only writer of group offsets on target; enforces the guard. `forget` drops a group's
// client (the group is no longer translated).
using committer_actor = caf::typed_actor<
    caf::replies_to<commit_atom, std::string, std::vector<commit_entry>>::with<commit_report>,
    caf::reacts_to<forget_atom, std::string>>;

// Translates one consumer group every pollInterval, at once when the source commit feed
// pushes a change of its commits (`commits`), and when a partition it waits for covers its
// commit (`wake`). A tick carries its number: only the latest scheduled one starts a cycle.
using group_actor = caf::typed_actor<caf::reacts_to<tick_atom, uint64_t>,
                                     caf::reacts_to<commits_atom, std::vector<source_commit>>,
                                     caf::reacts_to<wake_atom>>;

// Embedding API (include/k2k/k2k.hpp): the replicator and the offset-mapping service as
// actors in a caller-owned system. `stop` finishes gracefully and answers true, then the
// actor quits.
using replicator_actor = caf::typed_actor<caf::replies_to<status_atom>::with<replicator_status>,
                                          caf::replies_to<stop_atom>::with<bool>>;
using offset_mapping_actor =
    caf::typed_actor<caf::replies_to<status_atom>::with<offset_mapping_status>,
                     caf::replies_to<stop_atom>::with<bool>>;

} // namespace k2k::offset_mapping
