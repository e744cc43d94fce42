#include "core/commit_plan.hpp"

#include <optional>

namespace k2k::core {

commit_plan plan_commits(const std::vector<proposed_commit>& proposed,
                         const std::map<target_partition, current_commit>& current,
                         std::string_view prefix, bool guard_enabled) {
  commit_plan plan;
  for (const auto& p : proposed) {
    std::optional<current_commit> now;
    if (auto it = current.find(p.partition); it != current.end())
      now = it->second;
    auto notice = [&](commit_notice::kind what) {
      plan.notices.push_back({what, p.partition, *now, p.offset});
    };
    switch (decide_commit(now, p.offset, p.version, prefix, guard_enabled)) {
    case guard_decision::write:
      plan.writes[p.partition] = {p.offset, encode_guard_metadata(prefix, p.version)};
      // With the guard off a stale view rewinds the group: the operator should see it.
      if (!guard_enabled && now && p.offset < now->offset)
        notice(commit_notice::kind::rewind);
      break;
    case guard_decision::skip_unchanged:
      ++plan.unchanged;
      break;
    case guard_decision::skip_stale:
      ++plan.stale;
      notice(commit_notice::kind::stale);
      break;
    case guard_decision::skip_foreign:
      ++plan.foreign;
      notice(commit_notice::kind::foreign);
      break;
    }
  }
  return plan;
}

} // namespace k2k::core
