// The source cluster's committed offsets as __consumer_offsets tells them: the latest offset
// per group and partition, and what changed since it was last asked. Fed decoded records in
// log order (a group's records all live in one __consumer_offsets partition, in order).
#pragma once

#include "core/consumer_offsets_record.hpp"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace k2k::core {

class source_commit_table {
public:
  using partition = std::pair<std::string, int32_t>; // topic, partition

  struct group_change {
    std::string group;
    std::map<partition, int64_t> offsets; // changed partitions; -1: the offset was deleted
    bool removed = false;                 // no offset of the group is left
  };

  // Applies one record; other record kinds are ignored.
  void apply(const consumer_offsets_record& record);

  // The groups changed since the last call, each with its changed partitions.
  std::vector<group_change> take_changes();

  size_t group_count() const { return groups_.size(); }
  size_t offset_count() const { return offsets_; }

private:
  std::unordered_map<std::string, std::map<partition, int64_t>> groups_;
  std::map<std::string, std::map<partition, int64_t>> changed_; // by group: what changed
  size_t offsets_ = 0;
};

} // namespace k2k::core
