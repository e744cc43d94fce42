#include "actors/embedded.hpp"

#include "actors/offset_mapping_service.hpp"
#include "actors/replication_worker.hpp"

#include <caf/all.hpp>

#include <memory>
#include <thread>

namespace k2k::actors {

namespace {

// The worker thread lives as long as the actor; leaving without `stop` still stops it
// gracefully (a caller's system shutting down must not lose records).
struct replicator_state {
  std::unique_ptr<replication::replication_worker> worker;
  std::thread thread;

  void stop() {
    if (!worker)
      return;
    worker->stop();
    if (thread.joinable())
      thread.join();
  }
  ~replicator_state() { stop(); }
};

replicator_actor::behavior_type
replicator(replicator_actor::stateful_pointer<replicator_state> self, config::pipeline_config cfg) {
  auto& st = self->state;
  st.worker = std::make_unique<replication::replication_worker>(std::move(cfg));
  st.thread = std::thread([worker = st.worker.get()] { worker->run(); });
  return {
      [self](status_atom) {
        auto s = self->state.worker->status();
        return replicator_status{replication::to_string(s.state),
                                 s.records,
                                 s.bytes,
                                 s.mappings,
                                 s.in_flight,
                                 s.rewinds,
                                 s.error};
      },
      [self](stop_atom) {
        self->state.stop();
        self->quit();
        return true;
      },
  };
}

struct offset_mapping_state {
  std::shared_ptr<offset_mapping_service> service;
  ~offset_mapping_state() {
    if (service)
      service->stop();
  }
};

offset_mapping_actor::behavior_type
offset_mapping(offset_mapping_actor::stateful_pointer<offset_mapping_state> self,
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

replicator_actor spawn_replicator(caf::actor_system& system, config::pipeline_config cfg) {
  return system.spawn<caf::detached>(replicator, std::move(cfg));
}

offset_mapping_actor spawn_offset_mapping(caf::actor_system& system, config::pipeline_config cfg) {
  auto service = std::make_shared<offset_mapping_service>(system, std::move(cfg));
  return system.spawn<caf::detached>(offset_mapping, std::move(service));
}

} // namespace k2k::actors
