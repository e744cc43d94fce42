// Every Kafka group and transactional id k2k derives from a pipeline, in one place.
//
// Pipeline, topic names are [A-Za-z0-9._-] (config validation; Kafka's own rule for topics),
// so '/' separates their parts unambiguously. The ids that existed before this form keep their
// old shape where renaming them would break a running deployment: the replicator's source
// group (its commits are the resume point when mappings are off) and the offset-mapping
// workers' group (old and new workers must share it during a rolling upgrade). Those two
// contain only the pipeline name, so no two pipelines share one; they differ from each other
// by cluster (source vs target).
#pragma once

#include <cstdint>
#include <string>

namespace k2k::core {

// The replicator workers' consumer group on source: "k2k-<pipeline>".
std::string replicator_group_id(const std::string& pipeline);
// The offset-mapping workers' consumer group on the mapping topic: "k2k-<pipeline>-offset-mapping".
std::string offset_mapping_group_id(const std::string& pipeline);
// The replicator's checkpoint reader (assigns partitions, never joins nor commits):
// "k2k/<pipeline>/checkpoint".
std::string checkpoint_reader_group_id(const std::string& pipeline);
// The exactly-once producer of one source partition: "k2k/<pipeline>/<topic>/<partition>".
std::string transactional_id(const std::string& pipeline, const std::string& topic,
                             int32_t partition);
// The form k2k used up to 0.1 ("k2k-<pipeline>-<topic>-<partition>"; pipeline "a-b" with
// topic "c" and pipeline "a" with topic "b-c" shared it). A worker fences it before it starts
// the partition's producer, so an open transaction of an older worker is aborted and that
// worker can no longer commit.
std::string legacy_transactional_id(const std::string& pipeline, const std::string& topic,
                                    int32_t partition);

} // namespace k2k::core
