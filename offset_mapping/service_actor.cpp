#include "offset_mapping/service_actor.hpp"

#include "offset_mapping/service.hpp"

#include <caf/all.hpp>

#include <memory>
#include <thread>

namespace k2k::offset_mapping {

namespace {

struct service_actor_state {
  std::shared_ptr<offset_mapping_service> service;
  ~service_actor_state() {
    if (service)
      service->stop();
  }
};

offset_mapping_actor::behavior_type
service_actor(offset_mapping_actor::stateful_pointer<service_actor_state> self,
              std::shared_ptr<offset_mapping_service> service) {
  // Built by the spawning thread, so that errors at start reach the caller as exceptions.
  self->state.service = std::move(service);
  return {
      [self](status_atom) {
        const auto& c = *self->state.service->counters();
        return offset_mapping_status{c.mapping_loading == 0 && !c.stopped,
                                     c.mapping_partitions,
                                     c.mapping_records,
                                     c.translated,
                                     c.pending,
                                     c.commits_written,
                                     c.skipped_stale,
                                     c.skipped_foreign,
                                     c.active_group,
                                     c.errors,
                                     c.cycles};
      },
      [self](stop_atom) {
        self->state.service->stop();
        self->quit();
        return true;
      },
  };
}

} // namespace

offset_mapping_actor spawn_offset_mapping(caf::actor_system& system, config::pipeline_config cfg) {
  auto service = std::make_shared<offset_mapping_service>(system, std::move(cfg));
  return system.spawn<caf::detached>(service_actor, std::move(service));
}

} // namespace k2k::offset_mapping
