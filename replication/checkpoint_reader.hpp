// The replicator's checkpoint: the src_next of the newest mapping record of each
// source partition, read backwards from the end of its mapping partition.
#pragma once

#include "core/error.hpp"
#include "kafka/properties.hpp"

#include <cstdint>
#include <map>
#include <set>
#include <string>

namespace k2k::replication {

// mapping partition -> the mapping keys ("topic/partition") wanted from it.
using checkpoint_request = std::map<int32_t, std::set<std::string>>;

// key -> src_next of the newest mapping `pipeline` published (or a version 1 record, which
// names no pipeline); keys without one are absent. An error when a mapping partition cannot be
// read (its checkpoints cannot be known then).
result<std::map<std::string, int64_t>> read_checkpoints(kafka::properties consumer_props,
                                                        const std::string& mapping_topic,
                                                        const std::string& pipeline,
                                                        checkpoint_request wanted);

} // namespace k2k::replication
