#include "core/offset_index.hpp"

#include <algorithm>

namespace k2k::core {

namespace {

constexpr size_t npos = static_cast<size_t>(-1);

bool contiguous(const mapping_run& a, const mapping_run& b) {
  return a.source_end() == b.source_start && a.target_end() == b.target_start;
}

} // namespace

void offset_index::apply(const mapping_run& run) {
  if (run.count <= 0)
    return;
  covered_ = std::max(covered_, run.source_end());
  // Fast path: in-order replication appends after the last run.
  if (runs_.empty() || run.source_start >= runs_.back().source_end()) {
    if (!runs_.empty() && contiguous(runs_.back(), run)) {
      runs_.back().count += run.count;
      runs_.back().updated_ms = std::max(runs_.back().updated_ms, run.updated_ms);
    } else {
      runs_.push_back(run);
    }
    return;
  }
  // Re-replication: cut the overlapped parts of older runs, the new run wins.
  const auto begin = run.source_start, end = run.source_end();
  auto first = std::partition_point(runs_.begin(), runs_.end(),
                                    [&](const mapping_run& r) { return r.source_end() <= begin; });
  auto last = std::partition_point(first, runs_.end(),
                                   [&](const mapping_run& r) { return r.source_start < end; });
  std::vector<mapping_run> replacement;
  if (first != last && first->source_start < begin) {
    auto left = *first;
    left.count = begin - left.source_start;
    replacement.push_back(left);
  }
  replacement.push_back(run);
  if (first != last && std::prev(last)->source_end() > end) {
    auto right = *std::prev(last);
    right.target_start = right.target_of(end);
    right.count = right.source_end() - end;
    right.source_start = end;
    replacement.push_back(right);
  }
  auto at = static_cast<size_t>(first - runs_.begin());
  auto new_run_at = at + (replacement.front().source_start < begin ? 1 : 0);
  first = runs_.erase(first, last);
  runs_.insert(first, replacement.begin(), replacement.end());
  merge_around(new_run_at);
}

void offset_index::merge_around(size_t i) {
  if (i + 1 < runs_.size() && contiguous(runs_[i], runs_[i + 1])) {
    runs_[i].count += runs_[i + 1].count;
    runs_[i].updated_ms = std::max(runs_[i].updated_ms, runs_[i + 1].updated_ms);
    runs_.erase(runs_.begin() + static_cast<std::ptrdiff_t>(i) + 1);
  }
  if (i > 0 && contiguous(runs_[i - 1], runs_[i])) {
    runs_[i - 1].count += runs_[i].count;
    runs_[i - 1].updated_ms = std::max(runs_[i - 1].updated_ms, runs_[i].updated_ms);
    runs_.erase(runs_.begin() + static_cast<std::ptrdiff_t>(i));
  }
}

void offset_index::observe_source_next(source_offset next) {
  covered_ = std::max(covered_, next);
}

size_t offset_index::run_at_or_before(source_offset s) const {
  auto it = std::partition_point(runs_.begin(), runs_.end(),
                                 [&](const mapping_run& r) { return r.source_start <= s; });
  return it == runs_.begin() ? npos : static_cast<size_t>(it - runs_.begin()) - 1;
}

std::optional<target_offset> offset_index::target_of(source_offset s) const {
  auto i = run_at_or_before(s);
  if (i == npos || s >= runs_[i].source_end())
    return std::nullopt;
  return runs_[i].target_of(s);
}

std::optional<mapped_pair> offset_index::floor(source_offset s) const {
  auto i = run_at_or_before(s);
  if (i == npos)
    return std::nullopt;
  const auto& r = runs_[i];
  auto src = std::min(s, r.source_end() + -1);
  return mapped_pair{src, r.target_of(src)};
}

std::optional<mapped_pair> offset_index::first() const {
  if (runs_.empty())
    return std::nullopt;
  return mapped_pair{runs_.front().source_start, runs_.front().target_start};
}

void offset_index::truncate_before(source_offset s) {
  auto it = std::partition_point(runs_.begin(), runs_.end(),
                                 [&](const mapping_run& r) { return r.source_end() <= s; });
  it = runs_.erase(runs_.begin(), it);
  if (it != runs_.end() && it->source_start < s) {
    it->target_start = it->target_of(s);
    it->count = it->source_end() - s;
    it->source_start = s;
  }
}

void offset_index::truncate_to_runs(size_t max_runs) {
  if (runs_.size() > max_runs)
    runs_.erase(runs_.begin(), runs_.end() - static_cast<std::ptrdiff_t>(max_runs));
}

void offset_index::truncate_older_than(int64_t cutoff_ms) {
  auto it = std::find_if(runs_.begin(), runs_.end(),
                         [&](const mapping_run& r) { return r.updated_ms >= cutoff_ms; });
  runs_.erase(runs_.begin(), it);
}

} // namespace k2k::core
