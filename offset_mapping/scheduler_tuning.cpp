#include "offset_mapping/scheduler_tuning.hpp"

#include <caf/actor_system_config.hpp>

#include <chrono>

namespace k2k::offset_mapping {

void tune_scheduler(caf::actor_system_config& cfg) {
  cfg.set("work-stealing.moderate-sleep-duration", caf::timespan{std::chrono::milliseconds{1}});
  cfg.set("work-stealing.moderate-steal-interval", size_t{1}); // each poll also tries to steal
}

} // namespace k2k::offset_mapping
