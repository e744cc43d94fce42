#include "config/load.hpp"
#include "observability/service_metrics.hpp"
#include "offset_mapping/scheduler_tuning.hpp"
#include "offset_mapping/service.hpp"
#include "tools/commands.hpp"
#include "tools/stop_signals.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include <iostream>

namespace k2k::tools {

int offset_mapping_command(const std::string& config_path) {
  stop_signals signals; // before CAF and librdkafka start threads
  auto loaded = load_config(config_path);
  if (!loaded)
    return 1;
  caf::actor_system_config system_cfg; // worker threads default to the core count
  offset_mapping::add_message_types(system_cfg);
  offset_mapping::tune_scheduler(system_cfg);
  caf::actor_system system{system_cfg};
  try {
    offset_mapping::offset_mapping_service service{system, *loaded};
    const auto& counters = *service.counters();
    auto endpoint = observability::serve_metrics(
        loaded->metrics.listen,
        {[&] { return observability::offset_mapping_metrics(counters, loaded->name); },
         [&] { return observability::offset_mapping_health(counters); }},
        "offset-mapping");
    auto signal = signals.wait();
    spdlog::info("offset-mapping: signal {}: stopping", signal);
    service.stop();
  } catch (const std::exception& e) {
    spdlog::error("offset-mapping: {}", e.what());
    return 1;
  }
  return 0;
}

} // namespace k2k::tools
