#include "replication/partition_state.hpp"

#include "core/mapping_record.hpp"
#include "kafka/admin.hpp"

#include <algorithm>

namespace k2k::replication {

std::optional<int64_t> partition_state::failure() const {
  std::optional<int64_t> f = mapping_failure;
  if (auto d = progress.first_failure())
    f = f ? std::min(*f, d->value) : d->value;
  return f;
}

void partition_state::reset() {
  progress.reset();
  mapping_failure.reset();
  outstanding = 0;
  mappings_outstanding = 0;
  in_transaction = false;
  sealed = false;
  deferred.clear();
  batch_records = batch_bytes = 0;
  ++generation;
}

void partition_state::start_next_batch() {
  auto waiting = std::move(deferred);
  reset();
  deferred = std::move(waiting);
}

void partition_state::confirm(int64_t source_next) {
  checkpoint = std::max(checkpoint, source_next);
  rewinds_in_a_row = 0;
}

void partition_state::lose_mapping(int64_t first_source_offset) {
  mapping_failure =
      mapping_failure ? std::min(*mapping_failure, first_source_offset) : first_source_offset;
}

partition_state& partition_table::state_of(const std::string& topic, int32_t partition) {
  auto& slot = states_[{topic, partition}];
  if (!slot) {
    slot = std::make_unique<partition_state>();
    slot->topic = topic;
    slot->partition = partition;
    slot->target_topic = cfg_.replication.sink.target_topic(topic);
    slot->mapping_key = core::mapping_key(topic, partition);
    if (mapping_partitions_ > 0)
      slot->mapping_partition = kafka::key_partition(slot->mapping_key, mapping_partitions_);
  }
  return *slot;
}

partition_state* partition_table::find(const char* topic, int32_t partition) {
  auto it = states_.find({topic, partition});
  return it == states_.end() ? nullptr : it->second.get();
}

std::vector<partition_state*> partition_table::assigned() {
  std::vector<partition_state*> out;
  for (auto& [key, s] : states_)
    if (s->assigned)
      out.push_back(s.get());
  return out;
}

std::vector<partition_state*> partition_table::all() {
  std::vector<partition_state*> out;
  for (auto& [key, s] : states_)
    out.push_back(s.get());
  return out;
}

uint64_t partition_table::in_flight() const {
  uint64_t n = 0;
  for (const auto& [key, s] : states_)
    n += s->progress.in_flight() + s->deferred.size();
  return n;
}

} // namespace k2k::replication
