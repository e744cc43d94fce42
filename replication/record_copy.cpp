#include "replication/record_copy.hpp"

#include "core/decimal.hpp"
#include "kafka/client.hpp"
#include "replication/produce.hpp"

#include <spdlog/spdlog.h>

namespace k2k::replication {

namespace {

void add_header(rd_kafka_headers_t* h, const std::string& name, std::string_view value) {
  rd_kafka_header_add(h, name.data(), static_cast<ssize_t>(name.size()), value.data(),
                      static_cast<ssize_t>(value.size()));
}

// The source record's own headers (taken from it), then the tracing headers switched on.
kafka::headers_ptr tracing_headers(const partition_state& s, const rd_kafka_message_t& m,
                                   int64_t timestamp, const config::pipeline_config& cfg) {
  rd_kafka_headers_t* detached = nullptr;
  if (rd_kafka_message_detach_headers(const_cast<rd_kafka_message_t*>(&m), &detached) || !detached)
    detached = rd_kafka_headers_new(5);
  kafka::headers_ptr headers{detached};
  const auto& on = cfg.features.tracing_headers;
  const auto& names = cfg.tracing_headers;
  if (on.topic)
    add_header(headers.get(), names.topic, s.topic);
  if (on.partition)
    add_header(headers.get(), names.partition, core::format_decimal(s.partition).view());
  if (on.offset)
    add_header(headers.get(), names.offset, core::format_decimal(m.offset).view());
  if (on.timestamp && timestamp >= 0)
    add_header(headers.get(), names.timestamp, core::format_decimal(timestamp).view());
  if (on.pipeline)
    add_header(headers.get(), names.pipeline, cfg.name);
  return headers;
}

} // namespace

void copy_record(partition_state& s, rd_kafka_t* producer, const rd_kafka_message_t& m,
                 const config::pipeline_config& cfg, replication_counters& counters) {
  rd_kafka_timestamp_type_t ts_type;
  int64_t ts = rd_kafka_message_timestamp(&m, &ts_type);
  auto tag = std::make_unique<delivery_tag>(
      delivery_tag{&s, s.generation, false, m.offset, 0, m.key_len + m.len});
  outgoing_record out;
  out.topic = s.target_topic.c_str();
  out.partition = s.partition;
  out.key = {static_cast<const char*>(m.key), m.key_len};
  out.value = {static_cast<const char*>(m.payload), m.len};
  out.timestamp = cfg.features.keep_record_creation_timestamp && ts >= 0 ? ts : 0;
  out.headers = tracing_headers(s, m, ts, cfg);
  out.opaque = tag.get();
  s.progress.sent(core::source_offset{m.offset});
  if (auto e = produce(producer, out)) {
    ++counters.delivery_errors;
    spdlog::error("replicate: cannot produce {}@{} to {}: {}",
                  kafka::describe(s.topic, s.partition), m.offset, s.target_topic,
                  rd_kafka_err2str(e));
    s.progress.failed(core::source_offset{m.offset});
    return;
  }
  (void)tag.release(); // back in record_delivered
  ++s.outstanding;
  s.next_offset = m.offset + 1;
}

bool record_delivered(partition_state& s, const delivery_tag& tag, const rd_kafka_message_t& m,
                      replication_counters& counters) {
  --s.outstanding;
  // A success without an offset: when a later batch is acked while an earlier request's
  // answer was lost, librdkafka's idempotent producer counts the earlier records as stored
  // at offset -1 (an implicit ack). No mapping can name such a copy: sent again.
  if (m.err || m.offset < 0) {
    ++counters.delivery_errors;
    if (!s.failure())
      spdlog::error("replicate: {}@{} not delivered to {}: {}; rewinding the partition",
                    kafka::describe(s.topic, s.partition), tag.source_offset, s.target_topic,
                    m.err ? rd_kafka_err2str(m.err)
                          : "delivered without a target offset (a retried write the broker "
                            "had already stored)");
    s.progress.failed(core::source_offset{tag.source_offset});
    return false;
  }
  s.progress.delivered(core::source_offset{tag.source_offset}, core::target_offset{m.offset});
  return true;
}

} // namespace k2k::replication
