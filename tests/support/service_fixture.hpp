// The offset-mapping service in the test's own actor system (the scheduler tuned as the CLI
// tunes it), stopped and torn down when the fixture goes.
#pragma once

#include "config/config.hpp"
#include "offset_mapping/service.hpp"
#include "offset_mapping/service_counters.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include <chrono>
#include <functional>
#include <memory>

namespace k2k::test {

struct service_fixture {
  caf::actor_system_config system_cfg;
  std::unique_ptr<caf::actor_system> system;
  std::unique_ptr<offset_mapping::offset_mapping_service> service;

  explicit service_fixture(const config::pipeline_config& cfg);
  ~service_fixture();

  // Until `condition` holds over the service's counters (false after `timeout`).
  bool wait_for(const std::function<bool(const offset_mapping::service_counters&)>& condition,
                std::chrono::milliseconds timeout = std::chrono::seconds(60));
};

} // namespace k2k::test
