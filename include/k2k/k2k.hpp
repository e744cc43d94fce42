// libk2k's public API: embed the replicator and the offset-mapping service in your own
// caf::actor_system (see examples/embed.cpp).
//
//   caf::actor_system_config cfg;
//   k2k::add_message_types(cfg);              // before the system is created
//   k2k::tune_scheduler(cfg);                 // optional: k2k's CAF scheduler settings
//   caf::actor_system system{cfg};
//   auto pipeline = k2k::load_pipeline("pipeline.yaml");   // or k2k::config::load_string
//   auto replicator = k2k::spawn_replicator(system, pipeline.config);
//   auto offsets = k2k::spawn_offset_mapping(system, pipeline.config);
//   caf::scoped_actor self{system};
//   self->request(replicator, caf::infinite, k2k::status_atom::value).receive(
//     [](const k2k::replicator_status& s) { ... }, [](caf::error&) { ... });
//   self->request(replicator, caf::infinite, k2k::stop_atom::value).receive(...);
//
// The offset-mapping service starts helper processes (`k2k-group-offsets`, built and
// installed with k2k) for its group-offset calls: ship it next to your executable, or on
// PATH, or name it in $K2K_GROUP_OFFSETS_HELPER; or set groups.offsetClients: per-group
// (docs/offset-mapping.md, "Group offsets I/O").
#pragma once

#include "config/load.hpp"
#include "offset_mapping/messages.hpp"
#include "offset_mapping/scheduler_tuning.hpp"
#include "offset_mapping/service.hpp"
#include "offset_mapping/service_actor.hpp"
#include "replication/replicator_actor.hpp"

namespace k2k {

// The namespace of the actors before the products had folders of their own (k2k 0.1).
namespace actors = offset_mapping;

using offset_mapping::add_message_types;
using offset_mapping::offset_mapping_actor;
using offset_mapping::offset_mapping_status;
using offset_mapping::replicator_actor;
using offset_mapping::replicator_status;
using offset_mapping::spawn_offset_mapping;
using offset_mapping::status_atom;
using offset_mapping::stop_atom;
using offset_mapping::tune_scheduler;
using replication::spawn_replicator;

// The pipeline YAML, validated; `ok()` false with one problem per line in `errors`.
inline config::load_result load_pipeline(const std::string& path) {
  return config::load_file(path);
}

} // namespace k2k
