#include "core/source_commit_table.hpp"

namespace k2k::core {

void source_commit_table::apply(const consumer_offsets_record& record) {
  using kind = consumer_offsets_record::kind;
  if (record.what == kind::other)
    return;
  const auto& key = record.key;
  partition p{key.topic, key.partition};
  if (record.what == kind::offset_commit) {
    auto& offsets = groups_[key.group];
    auto [it, added] = offsets.emplace(p, record.value->offset);
    if (!added && it->second == record.value->offset)
      return;
    it->second = record.value->offset;
    offsets_ += added ? 1 : 0;
    changed_[key.group][p] = record.value->offset;
    return;
  }
  auto group = groups_.find(key.group);
  if (group == groups_.end() || group->second.erase(p) == 0)
    return; // a tombstone for an offset never seen (compacted away, or a second one)
  --offsets_;
  changed_[key.group][p] = -1;
  if (group->second.empty())
    groups_.erase(group);
}

std::vector<source_commit_table::group_change> source_commit_table::take_changes() {
  std::vector<group_change> out;
  out.reserve(changed_.size());
  for (auto& [group, offsets] : changed_)
    out.push_back({group, std::move(offsets), groups_.count(group) == 0});
  changed_.clear();
  return out;
}

} // namespace k2k::core
