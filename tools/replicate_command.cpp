#include "config/load.hpp"
#include "observability/service_metrics.hpp"
#include "replication/worker.hpp"
#include "tools/allocator_tuning.hpp"
#include "tools/commands.hpp"
#include "tools/stop_signals.hpp"

#include <spdlog/spdlog.h>

#include <iostream>

namespace k2k::tools {

int replicate_command(const std::string& config_path) {
  stop_signals signals;
  auto loaded = load_config(config_path);
  if (!loaded)
    return 1;
  tune_allocator_for_replication(loaded->features.exactly_once);
  replication::replication_worker worker{*loaded};
  auto endpoint = observability::serve_metrics(
      loaded->metrics.listen,
      {[&] { return observability::replication_metrics(worker.status(), loaded->name); },
       [&] { return observability::replication_health(worker.status()); }},
      "replicate");
  signals.on_signal([&](int signal) {
    spdlog::info("replicate: signal {}: finishing in-flight records and stopping", signal);
    worker.stop();
  });
  if (auto err = worker.run()) {
    spdlog::error("replicate: {}", err->message);
    return 1;
  }
  return 0;
}

} // namespace k2k::tools
