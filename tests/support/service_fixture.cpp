#include "support/service_fixture.hpp"

#include "offset_mapping/scheduler_tuning.hpp"

namespace k2k::test {

service_fixture::service_fixture(const config::pipeline_config& cfg) {
  offset_mapping::add_message_types(system_cfg);
  offset_mapping::tune_scheduler(system_cfg);
  system = std::make_unique<caf::actor_system>(system_cfg);
  service = std::make_unique<offset_mapping::offset_mapping_service>(*system, cfg);
}

service_fixture::~service_fixture() {
  service.reset();
  system.reset();
}

bool service_fixture::wait_for(
    const std::function<bool(const offset_mapping::service_counters&)>& condition,
    std::chrono::milliseconds timeout) {
  return service->counters()->wait_for(condition, timeout);
}

} // namespace k2k::test
