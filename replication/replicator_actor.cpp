#include "replication/replicator_actor.hpp"

#include "replication/worker.hpp"

#include <caf/all.hpp>

#include <memory>
#include <thread>

namespace k2k::replication {

namespace {

using offset_mapping::replicator_actor;

// The worker thread lives as long as the actor; leaving without `stop` still stops it
// gracefully (a caller's system shutting down must not lose records).
struct replicator_state {
  std::unique_ptr<replication_worker> worker;
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
  st.worker = std::make_unique<replication_worker>(std::move(cfg));
  st.thread = std::thread([worker = st.worker.get()] { worker->run(); });
  return {
      [self](offset_mapping::status_atom) { return self->state.worker->status(); },
      [self](offset_mapping::stop_atom) {
        self->state.stop();
        self->quit();
        return true;
      },
  };
}

} // namespace

replicator_actor spawn_replicator(caf::actor_system& system, config::pipeline_config cfg) {
  return system.spawn<caf::detached>(replicator, std::move(cfg));
}

} // namespace k2k::replication
