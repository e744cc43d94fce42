#include "replication/mapping_publisher.hpp"

#include "kafka/client.hpp"
#include "replication/produce.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace k2k::replication {

core::mapping_record mapping_publisher::mapping_for(partition_state& s,
                                                    core::mapped_prefix prefix) const {
  auto source_next = prefix.source_next;
  if (!s.failure() && s.progress.in_flight() == 0) {
    std::optional<int64_t> first_deferred;
    if (!s.deferred.empty())
      first_deferred = s.deferred.front()->offset;
    source_next = core::mapped_source_next(prefix, position_(s), first_deferred);
  }
  return {cfg_.name,   s.topic,     s.partition,           s.target_topic,
          s.partition, source_next, std::move(prefix.runs)};
}

bool mapping_publisher::produce(partition_state& s, rd_kafka_t* producer,
                                const core::mapping_record& rec) {
  auto value = core::encode_mapping(rec);
  auto first = rec.runs.front().source_start.value;
  auto tag = std::make_unique<delivery_tag>(
      delivery_tag{&s, s.generation, true, first, rec.source_next.value, 0});
  outgoing_record out;
  out.topic = cfg_.offset_mapping.topic.c_str();
  out.partition = s.mapping_partition;
  out.key = s.mapping_key;
  out.value = value;
  out.opaque = tag.get();
  if (auto e = replication::produce(producer, out)) {
    ++counters_.delivery_errors;
    s.lose_mapping(first);
    spdlog::error("replicate: cannot produce mapping for {}: {}",
                  kafka::describe(s.topic, s.partition), rd_kafka_err2str(e));
    return false;
  }
  (void)tag.release(); // back in delivered
  ++s.mappings_outstanding;
  return true;
}

bool mapping_publisher::delivered(partition_state& s, const delivery_tag& tag,
                                  const rd_kafka_message_t& m) {
  --s.mappings_outstanding;
  if (!m.err)
    return true;
  ++counters_.delivery_errors;
  spdlog::error("replicate: mapping for {} [{}, {}) not written: {}; replicating it again",
                kafka::describe(s.topic, s.partition), tag.source_offset, tag.source_next,
                rd_kafka_err2str(m.err));
  s.lose_mapping(tag.source_offset);
  return false;
}

} // namespace k2k::replication
