#include "actors/group.hpp"

#include "core/translation.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include <map>

namespace k2k::actors {

using namespace std::chrono_literals;

group_actor::behavior_type group(group_actor::stateful_pointer<group_state> self,
                                 std::string group_id, std::chrono::milliseconds poll_interval,
                                 mapping_registry_actor registry, source_offsets_actor source,
                                 committer_actor committer,
                                 std::shared_ptr<service_counters> counters) {
  auto finish = [=] {
    self->state.cycle_running = false;
    counters->cycle_done();
    self->delayed_send(self, poll_interval, tick_atom::value);
  };
  auto on_error = [=](const caf::error& e) {
    ++counters->errors;
    spdlog::warn("offset-mapping: group {}: {}", group_id, self->system().render(e));
    finish();
  };
  // Translations are collected here, then go to the committer as one batch.
  auto commit = [=](std::shared_ptr<std::vector<commit_entry>> entries) {
    if (entries->empty())
      return finish();
    self->request(committer, 60s, commit_atom::value, group_id, *entries)
        .then([=](const commit_report&) { finish(); }, on_error);
  };
  self->send(self, tick_atom::value);
  return {
      [=](tick_atom) {
        if (self->state.cycle_running)
          return;
        self->state.cycle_running = true;
        self->request(registry, 10s, owned_atom::value)
            .then(
                [=](const std::vector<owned_partition>& owned) {
                  if (owned.empty())
                    return finish();
                  std::vector<source_commit> wanted;
                  auto by_partition = std::make_shared<
                      std::map<std::pair<std::string, int32_t>, partition_mapping_actor>>();
                  for (const auto& o : owned) {
                    wanted.push_back({o.topic, o.partition, -1});
                    (*by_partition)[{o.topic, o.partition}] = o.mapping;
                  }
                  self->request(source, 30s, fetch_atom::value, group_id, wanted)
                      .then(
                          [=](const std::vector<source_commit>& commits) {
                            auto entries = std::make_shared<std::vector<commit_entry>>();
                            auto outstanding = std::make_shared<size_t>(commits.size());
                            if (commits.empty())
                              return finish();
                            for (const auto& c : commits) {
                              auto mapping = by_partition->at({c.topic, c.partition});
                              self->request(mapping, 10s, translate_atom::value, c.offset)
                                  .then(
                                      [=](const translation_reply& r) {
                                        auto outcome =
                                            static_cast<core::translation_outcome>(r.outcome);
                                        if (!r.conflict.empty()) {
                                          // counted and logged by the partition actor
                                        } else if (!core::committable(outcome)) {
                                          ++counters->pending;
                                        } else {
                                          ++counters->translated;
                                          entries->push_back(
                                              {r.target_topic, r.target_partition, r.target_offset,
                                               c.offset, r.mapping_partition, r.mapping_position});
                                        }
                                        if (--*outstanding == 0)
                                          commit(entries);
                                      },
                                      [=](const caf::error&) {
                                        // The partition moved to another worker meanwhile: skip it.
                                        if (--*outstanding == 0)
                                          commit(entries);
                                      });
                            }
                          },
                          on_error);
                },
                on_error);
      },
  };
}

} // namespace k2k::actors
