#include "replication/rebalance.hpp"

#include "core/client_ids.hpp"
#include "replication/checkpoint_reader.hpp"

#include <spdlog/spdlog.h>

namespace k2k::replication {

void rebalance_handler::on_assign(rd_kafka_t* rk, rd_kafka_topic_partition_list_t* parts) {
  std::vector<partition_state*> states;
  for (int i = 0; i < parts->cnt; ++i) {
    auto& s = partitions_.state_of(parts->elems[i].topic, parts->elems[i].partition);
    s.reset();
    s.assigned = true;
    s.next_offset = -1;
    s.checkpoint = -1;
    states.push_back(&s);
  }
  if (auto e = mode_->open(states))
    return fail_(e); // the loop stops
  auto checkpoints = read_resume_points(states);
  for (int i = 0; i < parts->cnt; ++i) {
    auto& s = *states[static_cast<size_t>(i)];
    auto cp = checkpoints.find(s.mapping_key);
    if (cp != checkpoints.end()) {
      parts->elems[i].offset = cp->second;
      s.next_offset = s.checkpoint = cp->second;
      spdlog::info("replicate: {} resumes at {} (mapping checkpoint)",
                   kafka::describe(s.topic, s.partition), cp->second);
    } else {
      parts->elems[i].offset = RD_KAFKA_OFFSET_INVALID; // committed offset, else reset policy
      auto props = cfg_.source.kafka.for_consumer();
      spdlog::info("replicate: {} starts from the committed offset or {}",
                   kafka::describe(s.topic, s.partition),
                   props.count("auto.offset.reset") ? props.at("auto.offset.reset") : "earliest");
    }
  }
  rd_kafka_assign(rk, parts);
}

std::map<std::string, int64_t>
rebalance_handler::read_resume_points(const std::vector<partition_state*>& states) {
  if (!cfg_.features.offset_mapping || partitions_.mapping_partitions() <= 0)
    return {};
  checkpoint_request wanted;
  for (auto* s : states)
    wanted[s->mapping_partition].insert(s->mapping_key);
  auto props = cfg_.target.kafka.for_consumer();
  props["group.id"] = core::checkpoint_reader_group_id(cfg_.name);
  auto found = read_checkpoints(props, cfg_.offset_mapping.topic, cfg_.name, std::move(wanted));
  if (found)
    return std::move(found.value());
  // Without its checkpoint a partition could be replicated twice or skipped; stop rather
  // than guess.
  fail_(error_info{found.error().code, "cannot read checkpoints: " + found.error().message});
  return {};
}

void rebalance_handler::on_revoke(rd_kafka_t* rk, rd_kafka_topic_partition_list_t* parts) {
  std::vector<partition_state*> states;
  for (int i = 0; i < parts->cnt; ++i)
    states.push_back(&partitions_.state_of(parts->elems[i].topic, parts->elems[i].partition));
  if (stop_.load() != stop_request::crash)
    fail_(mode_->drain(states, stop_deadline_.value_or(std::chrono::steady_clock::now() +
                                                       cfg_.replicator.shutdown_timeout)));
  source_->commit_checkpoints(states, false);
  for (auto* s : states) {
    s->assigned = false;
    s->reset();
    mode_->close(*s);
  }
  rd_kafka_assign(rk, nullptr);
  spdlog::info("replicate: released {} partition(s)", states.size());
}

} // namespace k2k::replication
