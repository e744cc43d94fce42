#include "core/ground_truth.hpp"

#include <algorithm>

namespace k2k::core {

void copy_log::add(int64_t source, int64_t target) {
  newest_[source] = target;
  targets_.push_back(target);
}

std::optional<int64_t> copy_log::newest_copy(int64_t source) const {
  auto it = newest_.find(source);
  return it == newest_.end() ? std::nullopt : std::optional<int64_t>{it->second};
}

int64_t copy_log::after_newest_below(int64_t s) const {
  auto it = newest_.lower_bound(s);
  return it == newest_.begin() ? 0 : std::prev(it)->second + 1;
}

std::optional<int64_t> copy_log::first_copy_from(int64_t t) const {
  auto it = std::lower_bound(targets_.begin(), targets_.end(), t);
  return it == targets_.end() ? std::nullopt : std::optional<int64_t>{*it};
}

std::optional<int64_t> copy_log::resume_at(int64_t s, std::optional<int64_t> source_end) const {
  auto at = newest_.lower_bound(s);
  if (at != newest_.end() && at->first == s)
    return at->second;
  if (at == newest_.begin())
    return std::nullopt; // nothing below S copied
  auto below = std::prev(at);
  bool copied_above = at != newest_.end();
  bool settled = copied_above ||
                 (source_end ? s >= *source_end && below->first + 1 == s : below->first + 1 == s);
  return settled ? std::optional<int64_t>{below->second + 1} : std::nullopt;
}

int64_t copy_log::migrate_position(int64_t s) const {
  auto from = after_newest_below(s);
  return first_copy_from(from).value_or(from);
}

} // namespace k2k::core
