#include "core/partition_progress.hpp"

#include <algorithm>

namespace k2k::core {

void partition_progress::sent(source_offset s) {
  entries_.push_back({s, target_offset{-1}});
}

partition_progress::entry* partition_progress::find(source_offset s) {
  if (entries_.empty() || s < entries_.front().source)
    return nullptr;
  // Source offsets in flight are contiguous unless the source has gaps (transaction markers,
  // compaction): then its position is direct; otherwise search.
  auto direct = static_cast<size_t>(s - entries_.front().source);
  if (direct < entries_.size() && entries_[direct].source == s)
    return &entries_[direct];
  auto it = std::lower_bound(entries_.begin(), entries_.end(), s,
                             [](const entry& e, source_offset v) { return e.source < v; });
  return it != entries_.end() && it->source == s ? &*it : nullptr;
}

void partition_progress::delivered(source_offset s, target_offset t) {
  if (t.value < 0)
    return failed(s); // stored, but nobody can say where: no mapping may name it
  if (auto* e = find(s)) {
    e->target = t;
    e->st = state::delivered;
  }
}

void partition_progress::failed(source_offset s) {
  if (auto* e = find(s)) {
    e->st = state::failed;
    if (!first_failure_ || s < *first_failure_)
      first_failure_ = s;
  }
}

source_offset mapped_source_next(const mapped_prefix& prefix, int64_t consumer_position,
                                 std::optional<int64_t> first_waiting) {
  auto reach = first_waiting ? std::min(consumer_position, *first_waiting) : consumer_position;
  return source_offset{std::max(prefix.source_next.value, reach)};
}

std::optional<mapped_prefix> partition_progress::take_confirmed_prefix() {
  if (entries_.empty() || entries_.front().st != state::delivered)
    return std::nullopt;
  mapped_prefix out;
  while (!entries_.empty() && entries_.front().st == state::delivered) {
    const auto& e = entries_.front();
    auto& runs = out.runs;
    if (!runs.empty() && runs.back().source_end() == e.source &&
        runs.back().target_end() == e.target)
      ++runs.back().count;
    else
      runs.push_back({e.source, e.target, 1, 0});
    out.source_next = e.source + 1;
    entries_.pop_front();
  }
  return out;
}

void partition_progress::reset() {
  entries_.clear();
  first_failure_.reset();
}

} // namespace k2k::core
