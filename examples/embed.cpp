// Embedding k2k: the replicator and the offset-mapping service as actors of the caller's
// own actor system, status queried with typed messages, stopped cleanly.
//   build/examples/embed PIPELINE.yaml [SECONDS]
#include <k2k/k2k.hpp>

#include <caf/all.hpp>

#include <chrono>
#include <cstdlib>
#include <iostream>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: embed PIPELINE.yaml [SECONDS]\n";
    return 2;
  }
  auto pipeline = k2k::load_pipeline(argv[1]);
  if (!pipeline.ok()) {
    for (const auto& problem : pipeline.errors)
      std::cerr << problem.to_string() << '\n';
    return 1;
  }
  int seconds = argc > 2 ? std::atoi(argv[2]) : 10;

  caf::actor_system_config system_cfg;
  k2k::add_message_types(system_cfg);
  k2k::tune_scheduler(system_cfg); // optional: fewer idle wake-ups of CAF's workers
  caf::actor_system system{system_cfg};
  auto replicator = k2k::spawn_replicator(system, pipeline.config);
  auto offsets = k2k::spawn_offset_mapping(system, pipeline.config);

  caf::scoped_actor self{system};
  auto report = [&] {
    self->request(replicator, caf::infinite, k2k::status_atom::value)
        .receive(
            [](const k2k::replicator_status& s) {
              std::cout << "replicator " << s.state << ": " << s.records << " records, "
                        << s.mappings << " mappings\n";
            },
            [](caf::error& e) { std::cerr << "replicator: " << caf::to_string(e) << '\n'; });
    self->request(offsets, caf::infinite, k2k::status_atom::value)
        .receive(
            [](const k2k::offset_mapping_status& s) {
              std::cout << "offset-mapping " << (s.ready ? "ready" : "loading") << ": "
                        << s.commits_written << " commits written, " << s.pending << " pending\n";
            },
            [](caf::error& e) { std::cerr << "offset-mapping: " << caf::to_string(e) << '\n'; });
  };
  for (int i = 0; i < seconds; ++i) {
    report();
    self->receive(caf::after(std::chrono::seconds(1)) >> [] {}); // the example's own pace
  }
  for (const caf::actor& a :
       {caf::actor_cast<caf::actor>(replicator), caf::actor_cast<caf::actor>(offsets)})
    self->request(a, caf::infinite, k2k::stop_atom::value)
        .receive([](bool) {}, [](caf::error& e) { std::cerr << caf::to_string(e) << '\n'; });
  return 0;
}
