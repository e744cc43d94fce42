#include "replication/source_consumer.hpp"

#include "core/rewind_backoff.hpp"
#include "kafka/client.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace k2k::replication {

namespace {

kafka::topic_partition_list_ptr one_partition(const partition_state& s, int64_t offset = 0) {
  kafka::topic_partition_list_ptr list{rd_kafka_topic_partition_list_new(1)};
  rd_kafka_topic_partition_list_add(list.get(), s.topic.c_str(), s.partition)->offset = offset;
  return list;
}

} // namespace

int64_t source_consumer::position(const partition_state& s) const {
  auto list = one_partition(s);
  if (rd_kafka_position(consumer_, list.get()))
    return -1;
  return list->elems[0].offset;
}

int64_t source_consumer::lag(const partition_state& s) const {
  int64_t low = 0, high = 0;
  if (s.next_offset < 0 ||
      rd_kafka_get_watermark_offsets(consumer_, s.topic.c_str(), s.partition, &low, &high))
    return -1;
  return std::max<int64_t>(0, high - s.next_offset);
}

void source_consumer::note_gap(const partition_state& s, int64_t offset) {
  if (s.next_offset < 0 || offset <= s.next_offset)
    return;
  // The log start the last fetch response carried: no request, and already past the
  // deletion when the first record after it arrives.
  int64_t low = -1, high = -1;
  if (rd_kafka_get_watermark_offsets(consumer_, s.topic.c_str(), s.partition, &low, &high) ||
      low <= s.next_offset)
    return;
  auto deleted_until = std::min(low, offset);
  counters_.records_deleted_on_source += static_cast<uint64_t>(deleted_until - s.next_offset);
  spdlog::error("replicate: {}: source offsets {}..{} were deleted on source (retention) before "
                "they were replicated: {} record(s) lost; continuing at {}",
                kafka::describe(s.topic, s.partition), s.next_offset, deleted_until - 1,
                deleted_until - s.next_offset, offset);
}

bool source_consumer::rewind(partition_state& s, int64_t offset) {
  auto list = one_partition(s, offset);
  kafka::error_ptr err{rd_kafka_seek_partitions(consumer_, list.get(), 10000)};
  if (err || list->elems[0].err) {
    spdlog::warn("replicate: cannot rewind {} yet: {}", kafka::describe(s.topic, s.partition),
                 err ? rd_kafka_error_string(err.get()) : rd_kafka_err2str(list->elems[0].err));
    return false;
  }
  s.next_offset = offset;
  ++counters_.rewinds;
  auto backoff = core::rewind_backoff(s.rewinds_in_a_row);
  ++s.rewinds_in_a_row;
  spdlog::warn("replicate: {} rewound to {}{}", kafka::describe(s.topic, s.partition), offset,
               backoff.count() ? ", retrying in " + std::to_string(backoff.count()) + " ms" : "");
  if (backoff.count() > 0) {
    rd_kafka_pause_partitions(consumer_, list.get());
    s.paused_until = std::chrono::steady_clock::now() + backoff;
  }
  return true;
}

// (A backpressure resume may end a backoff early; that only shortens the wait.)
void source_consumer::resume_backed_off(const std::vector<partition_state*>& states) {
  auto now = std::chrono::steady_clock::now();
  for (auto* s : states) {
    if (!s->paused_until || now < *s->paused_until)
      continue;
    s->paused_until.reset();
    rd_kafka_resume_partitions(consumer_, one_partition(*s).get());
  }
}

bool source_consumer::hold_for_backpressure(uint64_t in_flight) {
  using action = core::backpressure::action;
  switch (
      backpressure_.decide(in_flight, paused_for_backpressure_, std::chrono::steady_clock::now())) {
  case action::consume:
    return false;
  case action::hold:
    return true;
  case action::pause:
  case action::resume: {
    bool pause = !paused_for_backpressure_;
    if (pause_all(pause))
      paused_for_backpressure_ = pause;
    return false;
  }
  }
  return false;
}

bool source_consumer::pause_all(bool pause) {
  rd_kafka_topic_partition_list_t* assigned = nullptr;
  if (rd_kafka_assignment(consumer_, &assigned))
    return false;
  kafka::topic_partition_list_ptr list{assigned};
  if (pause)
    rd_kafka_pause_partitions(consumer_, list.get());
  else
    rd_kafka_resume_partitions(consumer_, list.get());
  return true;
}

std::optional<std::string> source_consumer::subscribe(const std::vector<std::string>& topics) {
  if (topics.empty()) {
    rd_kafka_unsubscribe(consumer_);
    return std::nullopt;
  }
  kafka::topic_partition_list_ptr list{
      rd_kafka_topic_partition_list_new(static_cast<int>(topics.size()))};
  for (const auto& t : topics)
    rd_kafka_topic_partition_list_add(list.get(), t.c_str(), RD_KAFKA_PARTITION_UA);
  if (auto e = rd_kafka_subscribe(consumer_, list.get()))
    return std::string{"cannot subscribe: "} + rd_kafka_err2str(e);
  return std::nullopt;
}

void source_consumer::commit_checkpoints(const std::vector<partition_state*>& states, bool async) {
  kafka::topic_partition_list_ptr list{rd_kafka_topic_partition_list_new(1)};
  for (auto* s : states)
    if (s->checkpoint >= 0)
      rd_kafka_topic_partition_list_add(list.get(), s->topic.c_str(), s->partition)->offset =
          s->checkpoint;
  if (list->cnt == 0)
    return;
  if (auto e = rd_kafka_commit(consumer_, list.get(), async ? 1 : 0);
      e && e != RD_KAFKA_RESP_ERR__NO_OFFSET)
    spdlog::warn("replicate: committing source offsets: {}", rd_kafka_err2str(e));
}

} // namespace k2k::replication
