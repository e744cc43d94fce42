// Messages between the offset-mapping actors (CAF 0.17: atoms, plain structs with inspect).
#pragma once

#include "replication/status.hpp"

#include <caf/atom.hpp>
#include <caf/meta/type_name.hpp>

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

namespace k2k::offset_mapping {

using apply_atom = caf::atom_constant<caf::atom("apply")>;
using translate_atom = caf::atom_constant<caf::atom("translate")>;
using tick_atom = caf::atom_constant<caf::atom("tick")>;
using commit_atom = caf::atom_constant<caf::atom("commit")>;
using fetch_atom = caf::atom_constant<caf::atom("fetch")>;
using owned_atom = caf::atom_constant<caf::atom("owned")>;
using register_atom = caf::atom_constant<caf::atom("register")>;
using revoke_atom = caf::atom_constant<caf::atom("revoke")>;
using ready_atom = caf::atom_constant<caf::atom("ready")>;
using status_atom = caf::atom_constant<caf::atom("status")>;
using stop_atom = caf::atom_constant<caf::atom("stop")>;
using commits_atom = caf::atom_constant<caf::atom("commits")>;
using forget_atom = caf::atom_constant<caf::atom("forget")>;
using await_atom = caf::atom_constant<caf::atom("await")>;
using wake_atom = caf::atom_constant<caf::atom("wake")>;

// What an embedded replicator reports (the embedding API's status message): the worker's own
// status type.
using replicator_status = replication::replication_status;

// What an embedded offset-mapping service reports.
struct offset_mapping_status {
  bool ready = false; // every assigned mapping partition read to its end
  int64_t mapping_partitions = 0;
  uint64_t mappings_ingested = 0;
  uint64_t translated = 0;
  uint64_t pending = 0;
  uint64_t commits_written = 0;
  uint64_t skipped_stale = 0;
  uint64_t skipped_foreign = 0;
  uint64_t active_group = 0;
  uint64_t errors = 0;
  uint64_t cycles = 0;
};

// One decoded mapping record and where in the mapping topic it was read.
struct mapping_update {
  std::string pipeline; // who replicated (empty: a version 1 mapping record)
  int32_t mapping_partition = 0;
  int64_t mapping_offset = 0;
  std::string target_topic;
  int32_t target_partition = 0;
  int64_t source_next = 0;
  std::vector<int64_t> runs; // (source_start, target_start, count) triples
};

// A partition actor's answer for one committed source offset.
struct translation_reply {
  int32_t outcome = 0; // core::translation_outcome
  int64_t target_offset = -1;
  std::string target_topic;
  int32_t target_partition = 0;
  int32_t mapping_partition = 0;
  int64_t mapping_position = 0; // mapping-topic position applied when deciding
  std::string conflict;         // set: pipelines disagree, nothing to commit (onMultiple... fail)
};

// A committed offset of a group on the source cluster (-1 where a pushed change says the
// offset was deleted).
struct source_commit {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = -1;
};

// One translated offset for the committer to write, with its guard version.
struct commit_entry {
  std::string target_topic;
  int32_t target_partition = 0;
  int64_t target_offset = 0;
  int64_t source_offset = 0;
  int32_t mapping_partition = 0;
  int64_t mapping_position = 0;

  auto key() const { return std::tie(target_topic, target_partition); }
  bool operator==(const commit_entry& o) const {
    return key() == o.key() && target_offset == o.target_offset &&
           source_offset == o.source_offset && mapping_partition == o.mapping_partition &&
           mapping_position == o.mapping_position;
  }
};

// What the committer did with one group's batch.
struct commit_report {
  int32_t written = 0;
  int32_t unchanged = 0;
  int32_t stale = 0;         // skipped: the target holds a newer version
  int32_t foreign = 0;       // skipped: the target commit is not k2k's
  bool active_group = false; // not written: the target group has live members
  int32_t not_leased = 0;    // not written: the mapping partition is not (yet) writable here
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, mapping_update& x) {
  return f(caf::meta::type_name("mapping_update"), x.pipeline, x.mapping_partition,
           x.mapping_offset, x.target_topic, x.target_partition, x.source_next, x.runs);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, translation_reply& x) {
  return f(caf::meta::type_name("translation_reply"), x.outcome, x.target_offset, x.target_topic,
           x.target_partition, x.mapping_partition, x.mapping_position, x.conflict);
}

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, source_commit& x) {
  return f(caf::meta::type_name("source_commit"), x.topic, x.partition, x.offset);
}

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, commit_entry& x) {
  return f(caf::meta::type_name("commit_entry"), x.target_topic, x.target_partition,
           x.target_offset, x.source_offset, x.mapping_partition, x.mapping_position);
}

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, commit_report& x) {
  return f(caf::meta::type_name("commit_report"), x.written, x.unchanged, x.stale, x.foreign,
           x.active_group, x.not_leased);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, offset_mapping_status& x) {
  return f(caf::meta::type_name("offset_mapping_status"), x.ready, x.mapping_partitions,
           x.mappings_ingested, x.translated, x.pending, x.commits_written, x.skipped_stale,
           x.skipped_foreign, x.active_group, x.errors, x.cycles);
}

} // namespace k2k::offset_mapping

namespace k2k::replication {

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, partition_status& x) {
  return f(caf::meta::type_name("partition_status"), x.topic, x.partition, x.next_offset,
           x.checkpoint, x.lag);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, replication_status& x) {
  return f(caf::meta::type_name("replicator_status"), x.state, x.records, x.bytes, x.mappings,
           x.delivery_errors, x.rewinds, x.aborted_transactions, x.in_flight, x.partitions,
           x.error);
}

} // namespace k2k::replication
