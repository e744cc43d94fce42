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
#pragma once

#include "actors/embedded.hpp"
#include "actors/messages.hpp"
#include "actors/offset_mapping_service.hpp"
#include "actors/scheduler_tuning.hpp"
#include "config/load.hpp"

namespace k2k {

using actors::add_message_types;
using actors::offset_mapping_actor;
using actors::offset_mapping_status;
using actors::replicator_actor;
using actors::replicator_status;
using actors::spawn_offset_mapping;
using actors::spawn_replicator;
using actors::status_atom;
using actors::stop_atom;
using actors::tune_scheduler;

// The pipeline YAML, validated; `ok()` false with one problem per line in `errors`.
inline config::load_result load_pipeline(const std::string& path) {
  return config::load_file(path);
}

} // namespace k2k
