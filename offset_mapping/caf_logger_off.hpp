// Debian's CAF 0.17.6 scheduler looks up a per-thread actor id for its logger on every resume
// of an actor, under one process-wide spinlock, even though logging is compiled out
// (CAF_LOG_LEVEL QUIET): with two scheduler threads every resume fights over that lock's cache
// line (bench/translation_cycle_bench). The lookup is skipped on a thread without a current
// logger, and a worker sets it only when it starts, so an actor clears it on the thread it runs
// on. Only where CAF was built not to log at all.
#pragma once

#include <caf/logger.hpp>

namespace k2k::offset_mapping {

inline void leave_caf_logger() {
#if CAF_LOG_LEVEL == CAF_LOG_LEVEL_QUIET // a CAF built to log keeps its logger
  if (caf::logger::current_logger() != nullptr)
    caf::logger::set_current_actor_system(nullptr);
#endif
}

} // namespace k2k::offset_mapping
