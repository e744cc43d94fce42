// Reading and writing consumer groups' committed offsets on one cluster, for the committer
// and the source reader. Two ways (groups.offsetClients): one consumer handle per group
// (kafka/group_client.hpp) or one admin client for all groups in a helper process
// (kafka/group_offsets_helper.hpp).
#pragma once

#include "core/error.hpp"
#include "kafka/group_offsets.hpp"

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace k2k::kafka {

class group_offsets_io {
public:
  using time_point = std::chrono::steady_clock::time_point;
  virtual ~group_offsets_io() = default;

  virtual result<std::map<topic_partition, committed_offset>>
  committed(const std::string& group, const std::vector<topic_partition>& partitions,
            time_point deadline) = 0;

  // A group with live members is refused by the broker: ec::active_group. A write not
  // answered by `deadline` is abandoned (ec::timed_out) so that it can no longer be sent:
  // it lands by then or never (docs/offset-mapping.md, Hand-over). A deadline already
  // passed sends nothing.
  virtual result<std::map<topic_partition, alter_outcome>>
  commit(const std::string& group, const std::map<topic_partition, committed_offset>& offsets,
         time_point deadline) = 0;

  // After a failed call: what served the group is renewed on its next use.
  virtual void forget(const std::string& group) = 0;
};

} // namespace k2k::kafka
