#include "actors/offset_mapping_service.hpp"
#include "actors/scheduler_tuning.hpp"
#include "config/load.hpp"
#include "tools/commands.hpp"
#include "tools/service_metrics.hpp"
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
  actors::add_message_types(system_cfg);
  actors::tune_scheduler(system_cfg);
  caf::actor_system system{system_cfg};
  try {
    actors::offset_mapping_service service{system, *loaded};
    const auto& counters = *service.counters();
    auto endpoint = serve_metrics(loaded->metrics.listen,
                                  {[&] { return offset_mapping_metrics(counters, loaded->name); },
                                   [&] { return offset_mapping_health(counters); }},
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
